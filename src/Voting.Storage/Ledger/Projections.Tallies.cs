using Voting.Domain.Ledger;
using Voting.Domain.Voting;

namespace Voting.Storage.Ledger;

/// <summary>Votes per episode, contestant and type, in this node's shard (readers sum the shards).</summary>
internal sealed class TallyProjection : Projection<TallyDelta>
{
    private const string Upsert = "ON CONFLICT (episode_id, contestant_id, vote_type, shard) DO UPDATE SET votes = tallies.votes + excluded.votes";

    protected override string Name => "tallies";
    protected override Col[] Columns => [Col.Long, Col.Long, Col.Text, Col.Long, Col.Long];
    protected override string Sqlite => $"INSERT INTO tallies (episode_id, contestant_id, vote_type, shard, votes) VALUES ($1, $2, $3, $4, $5) {Upsert}";
    protected override string Postgres =>
        $"INSERT INTO tallies (episode_id, contestant_id, vote_type, shard, votes) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[]) {Upsert}";

    protected override IEnumerable<object?[]> Rows(IEnumerable<TallyDelta> deltas, LedgerStamp stamp) =>
        deltas.GroupBy(d => (d.Episode, d.Contestant, d.Type)).OrderBy(g => g.Key)
            .Select(g => new object?[] { g.Key.Episode, g.Key.Contestant, g.Key.Type.ToWire(), stamp.Shard, g.Sum(d => d.Votes) });
}

/// <summary>Votes per episode and clock hour, in this node's shard.</summary>
internal sealed class HourlyTallyProjection : Projection<HourlyTallyDelta>
{
    private const string Upsert = "ON CONFLICT (episode_id, hour, shard) DO UPDATE SET votes = hourly_tallies.votes + excluded.votes";

    protected override string Name => "hourly tallies";
    protected override Col[] Columns => [Col.Long, Col.Long, Col.Long, Col.Long];
    protected override string Sqlite => $"INSERT INTO hourly_tallies (episode_id, hour, shard, votes) VALUES ($1, $2, $3, $4) {Upsert}";
    protected override string Postgres =>
        $"INSERT INTO hourly_tallies (episode_id, hour, shard, votes) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[]) {Upsert}";

    protected override IEnumerable<object?[]> Rows(IEnumerable<HourlyTallyDelta> deltas, LedgerStamp stamp) =>
        deltas.GroupBy(d => (d.Episode, d.Hour)).OrderBy(g => g.Key)
            .Select(g => new object?[] { g.Key.Episode, g.Key.Hour, stamp.Shard, g.Sum(d => d.Votes) });
}

/// <summary>Votes per episode, clock minute and contestant, in this node's shard, with the newest vote stamp (the trends and <c>as_of</c>).</summary>
internal sealed class MinuteTallyProjection : Projection<MinuteTallyDelta>
{
    private const string Upsert = "ON CONFLICT (episode_id, minute, contestant_id, shard) DO UPDATE SET votes = minute_tallies.votes + excluded.votes";

    protected override string Name => "minute tallies";
    protected override Col[] Columns => [Col.Long, Col.Long, Col.Long, Col.Long, Col.Long, Col.Long];
    protected override string Sqlite =>
        $"INSERT INTO minute_tallies (episode_id, minute, contestant_id, shard, votes, last_at) VALUES ($1, $2, $3, $4, $5, $6) {Upsert}, last_at = MAX(minute_tallies.last_at, excluded.last_at)";
    protected override string Postgres =>
        $"INSERT INTO minute_tallies (episode_id, minute, contestant_id, shard, votes, last_at) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[]) {Upsert}, last_at = GREATEST(minute_tallies.last_at, excluded.last_at)";

    protected override IEnumerable<object?[]> Rows(IEnumerable<MinuteTallyDelta> deltas, LedgerStamp stamp) =>
        deltas.GroupBy(d => (d.Episode, d.Minute, d.Contestant)).OrderBy(g => g.Key)
            .Select(g => new object?[] { g.Key.Episode, g.Key.Minute, g.Key.Contestant, stamp.Shard, g.Sum(d => d.Votes), g.Max(d => d.At) });
}
