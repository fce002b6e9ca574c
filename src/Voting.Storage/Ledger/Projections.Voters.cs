using Voting.Domain.Ledger;
using Voting.Domain.Voting;

namespace Voting.Storage.Ledger;

/// <summary>The wallet: a debit keeps <c>vote_balance >= 0</c> unless it is a store refund, which may overdraw it; a credit always applies (it pays off what is owed first).</summary>
internal sealed class BalanceProjection : Projection<BalanceDelta>
{
    protected override string Name => "wallet balance";
    protected override Col[] Columns => [Col.Long, Col.Long, Col.Long];
    protected override bool Guarded => true;
    protected override string Sqlite =>
        "UPDATE voters SET vote_balance = vote_balance + $2 WHERE id = $1 AND ($3 = 1 OR $2 >= 0 OR vote_balance + $2 >= 0)";
    protected override string Postgres =>
        "UPDATE voters v SET vote_balance = v.vote_balance + d.n FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS d(id, n, o) WHERE v.id = d.id AND (d.o = 1 OR d.n >= 0 OR v.vote_balance + d.n >= 0) RETURNING v.id";

    protected override IEnumerable<object?[]> Rows(IEnumerable<BalanceDelta> deltas, LedgerStamp stamp) =>
        deltas.GroupBy(d => d.Voter).OrderBy(g => g.Key)
            .Select(g => new object?[] { g.Key, g.Sum(d => d.Votes), g.Any(d => d.MayOverdraw) ? 1L : 0L });
}

/// <summary>
/// Free votes used, paid votes, all votes counted, their loyalty points and the votes counted for
/// each contestant, per voter and episode: <c>free_used &lt;= 5</c>. The row a voter's first vote in
/// the episode creates also keeps who the voter was then (province, gender, date of birth, when they
/// signed up, and the loyalty points they held from other episodes), so the analytics' audience is
/// one read of the episode's rows, with no join to the voters (README, "Analytics"). Later votes move
/// only the counters: rows the transaction knows exist (<see cref="LedgerHints"/>) are updated
/// without the snapshot's reads.
/// <para>
/// The votes per contestant (<c>contestant_votes</c>, a JSON object of contestant id to votes:
/// a contestant's unique voters are the rows where it is above 0) ride on the same row rather than
/// a table of their own (migration 0013): a vote then dirties one page keyed by voter fewer, and
/// every dirtied page is written at the commit (BENCHMARKS.md, "One page keyed by voter fewer").
/// Each row carries the batch's increments as such an object, added key by key to the row's.
/// </para>
/// </summary>
internal sealed class VoterEpisodeProjection : Projection<LedgerDelta>
{
    // The increments d added to the row's object o, key by key (a key new to o starts at 0).
    private static string MergeSqlite(string o, string d) =>
        $"json_patch({o}, (SELECT json_group_object(j.key, j.value + COALESCE(json_extract({o}, '$.\"' || j.key || '\"'), 0)) FROM json_each({d}) AS j))";

    private static string MergePostgres(string o, string d) =>
        $"{o} || COALESCE((SELECT jsonb_object_agg(j.key, CAST(j.value AS BIGINT) + COALESCE(CAST({o} ->> j.key AS BIGINT), 0)) FROM jsonb_each_text({d}) AS j), '{{}}'::jsonb)";

    private static string Counters(string free, string paid, string cast, string points) =>
        $"free_used = voter_episode.free_used + {free}, paid_cast = voter_episode.paid_cast + {paid}, votes_cast = voter_episode.votes_cast + {cast}, points = voter_episode.points + {points}";

    private static string Upsert(string merge) =>
        $"""
        ON CONFLICT (voter_id, episode_id) DO UPDATE SET {Counters("excluded.free_used", "excluded.paid_cast", "excluded.votes_cast", "excluded.points")},
            contestant_votes = {merge}
        WHERE voter_episode.free_used + excluded.free_used <= {VoteRules.FreeVotesPerEpisode}
        """;

    private const string Insert =
        "INSERT INTO voter_episode (voter_id, episode_id, free_used, paid_cast, votes_cast, points, contestant_votes, province, gender, date_of_birth, voter_created_at, prior_points)";

    protected override string Name => "free votes";
    protected override Col[] Columns => [Col.Long, Col.Long, Col.Long, Col.Long, Col.Long, Col.Long, Col.Text];
    protected override bool Guarded => true;
    // "WHERE v.id = $1" also settles SQLite's parse of an upsert after INSERT ... SELECT ... FROM.
    protected override string Sqlite =>
        $"""
        {Insert}
        SELECT $1, $2, $3, $4, $5, $6, $7, v.province, v.gender, v.date_of_birth, v.created_at,
            COALESCE((SELECT SUM(p.points) FROM voter_episode p WHERE p.voter_id = $1 AND p.episode_id <> $2), 0)
        FROM voters v WHERE v.id = $1
        {Upsert(MergeSqlite("voter_episode.contestant_votes", "excluded.contestant_votes"))}
        """;
    // LATERAL reads each voter in the order of the rows (the key order: one lock order for every transaction).
    protected override string Postgres =>
        $"""
        {Insert}
        SELECT d.voter_id, d.episode_id, d.free_used, d.paid_cast, d.votes_cast, d.points, CAST(d.contestant_votes AS jsonb),
            v.province, v.gender, v.date_of_birth, v.created_at,
            COALESCE((SELECT CAST(SUM(p.points) AS BIGINT) FROM voter_episode p WHERE p.voter_id = d.voter_id AND p.episode_id <> d.episode_id), 0)
        FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[]) WITH ORDINALITY
            AS d(voter_id, episode_id, free_used, paid_cast, votes_cast, points, contestant_votes, n)
        CROSS JOIN LATERAL (SELECT province, gender, date_of_birth, created_at FROM voters WHERE id = d.voter_id) v
        ORDER BY d.n
        {Upsert(MergePostgres("voter_episode.contestant_votes", "excluded.contestant_votes"))}
        RETURNING voter_id
        """;

    protected override IEnumerable<object?[]> Rows(IEnumerable<LedgerDelta> deltas, LedgerStamp stamp)
    {
        var all = deltas as IReadOnlyCollection<LedgerDelta> ?? deltas.ToList();
        var counters = all.OfType<VoterEpisodeDelta>().ToLookup(d => (d.Voter, d.Episode));
        var contestants = all.OfType<VoterContestantDelta>().ToLookup(d => (d.Voter, d.Episode));
        return counters.Select(g => g.Key).Union(contestants.Select(g => g.Key)).Order().Select(k =>
        {
            var c = counters[k];
            return new object?[]
            {
                k.Voter, k.Episode, c.Sum(d => d.FreeUsed), c.Sum(d => d.PaidCast), c.Sum(d => d.VotesCast), c.Sum(d => d.Points),
                ContestantVotesColumn.Format(contestants[k].Select(d => (d.Contestant, d.Votes))),
            };
        });
    }

    // The same counters and guard as the upsert's update, for rows that exist.
    private static readonly string UpdateSqlite =
        $"UPDATE voter_episode SET {Counters("$3", "$4", "$5", "$6")}, contestant_votes = {MergeSqlite("voter_episode.contestant_votes", "$7")} " +
        $"WHERE voter_id = $1 AND episode_id = $2 AND free_used + $3 <= {VoteRules.FreeVotesPerEpisode}";

    private static readonly string UpdatePostgres =
        $"UPDATE voter_episode SET {Counters("d.f", "d.p", "d.c", "d.n")}, contestant_votes = {MergePostgres("voter_episode.contestant_votes", "CAST(d.cv AS jsonb)")} " +
        "FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[]) AS d(voter_id, episode_id, f, p, c, n, cv) " +
        $"WHERE voter_episode.voter_id = d.voter_id AND voter_episode.episode_id = d.episode_id AND voter_episode.free_used + d.f <= {VoteRules.FreeVotesPerEpisode} " +
        "RETURNING voter_episode.voter_id";

    protected override IEnumerable<SetWrite> Split(SetWrite write, LedgerHints hints)
    {
        var known = write.Rows.ToLookup(r => hints.VoterEpisodeExists((long)r[0]!, (long)r[1]!));
        if (known[true].Any()) yield return write with { Name = write.Name + " (rows that exist)", Sqlite = UpdateSqlite, Postgres = UpdatePostgres, Rows = known[true].ToList() };
        if (known[false].Any()) yield return write with { Rows = known[false].ToList() };
    }
}

/// <summary>Carrier-billed votes per voter and Phnom Penh day: <c>used &lt;= 50</c>.</summary>
internal sealed class SmsUseProjection : Projection<SmsUseDelta>
{
    private static readonly string Upsert =
        $"ON CONFLICT (voter_id, day) DO UPDATE SET used = voter_daily_sms.used + excluded.used WHERE voter_daily_sms.used + excluded.used <= {VoteRules.SmsVotesPerDay}";

    protected override string Name => "SMS votes";
    protected override Col[] Columns => [Col.Long, Col.Text, Col.Long];
    protected override bool Guarded => true;
    protected override string Sqlite => $"INSERT INTO voter_daily_sms (voter_id, day, used) VALUES ($1, $2, $3) {Upsert}";
    protected override string Postgres => $"INSERT INTO voter_daily_sms (voter_id, day, used) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[]) {Upsert} RETURNING voter_id";

    protected override IEnumerable<object?[]> Rows(IEnumerable<SmsUseDelta> deltas, LedgerStamp stamp) =>
        deltas.GroupBy(d => (d.Voter, d.Day)).OrderBy(g => g.Key.Voter).ThenBy(g => g.Key.Day, StringComparer.Ordinal)
            .Select(g => new object?[] { g.Key.Voter, g.Key.Day, g.Sum(d => d.Votes) });
}

/// <summary>Votes left per bundle: <c>0 &lt;= remaining &lt;= granted</c>.</summary>
internal sealed class BundleProjection : Projection<BundleDelta>
{
    protected override string Name => "bundle votes";
    protected override Col[] Columns => [Col.Long, Col.Long];
    protected override bool Guarded => true;
    protected override string Sqlite =>
        "UPDATE bundles SET remaining_votes = remaining_votes + $2 WHERE id = $1 AND remaining_votes + $2 BETWEEN 0 AND granted_votes";
    protected override string Postgres =>
        "UPDATE bundles b SET remaining_votes = b.remaining_votes + d.n FROM unnest($1::bigint[], $2::bigint[]) AS d(id, n) WHERE b.id = d.id AND b.remaining_votes + d.n BETWEEN 0 AND b.granted_votes RETURNING b.id";

    protected override IEnumerable<object?[]> Rows(IEnumerable<BundleDelta> deltas, LedgerStamp stamp) =>
        deltas.GroupBy(d => d.Bundle).OrderBy(g => g.Key).Select(g => new object?[] { g.Key, g.Sum(d => d.Votes) });
}
