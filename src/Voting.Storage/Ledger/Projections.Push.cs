using Voting.Domain.Push;
using Voting.Storage.Sql;

namespace Voting.Storage.Ledger;

/// <summary>
/// Votes not yet notified, per voter with a device (<c>push_pending</c>): counts add up, the first
/// vote's time stays, the latest vote names the contestant. Not a ledger counter (nothing is audited
/// from it), but moved in the vote's transaction like one, so a notification is never lost or sent
/// for a vote that did not commit. Voters without a device token get no row.
/// </summary>
internal sealed class PushPendingProjection : Projection<PushPendingDelta>
{
    protected override string Name => "pending notifications";
    protected override Col[] Columns => [Col.Long, Col.Long, Col.Long, Col.Long, Col.Long, Col.Long, Col.Long];
    protected override string Sqlite =>
        $"""
        INSERT INTO push_pending (voter_id, episode_id, contestant_id, votes, last_vote_id, first_at, last_at)
        SELECT $1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM push_tokens t WHERE t.voter_id = $1)
        {PushSql.PendingUpsert}
        """;
    protected override string Postgres =>
        $"""
        INSERT INTO push_pending (voter_id, episode_id, contestant_id, votes, last_vote_id, first_at, last_at)
        SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[]) AS d(v, e, c, n, id, f, l)
        WHERE EXISTS (SELECT 1 FROM push_tokens t WHERE t.voter_id = d.v) ORDER BY d.v
        {PushSql.PendingUpsert}
        """;

    protected override IEnumerable<object?[]> Rows(IEnumerable<PushPendingDelta> deltas, LedgerStamp stamp) =>
        deltas.GroupBy(d => d.Voter).OrderBy(g => g.Key).Select(g =>
        {
            var p = g.Select(d => d.Votes).Aggregate((a, b) => a.Add(b));
            return new object?[] { g.Key, p.Episode, p.Contestant, p.Votes, p.LastVoteId, p.FirstAtMs, p.LastAtMs };
        });
}
