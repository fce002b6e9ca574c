using System.Data.Common;
using Voting.Domain;
using Voting.Domain.Analytics;
using Voting.Domain.Results;
using Voting.Domain.Voting;
using Voting.Storage.Ledger;

namespace Voting.Storage.Sql;

public abstract partial class SqlVotingStore
{
    public Task<EpisodeAnalyticsData?> GetAnalyticsAsync(EpisodeId episode, CancellationToken ct) =>
        SnapshotAsync<EpisodeAnalyticsData?>(async (c, tx) =>
        {
            var e = episode.Value;
            var windows = await QueryAsync(c, tx, "SELECT voting_state, voting_start, voting_end FROM episodes WHERE id = $1",
                r => new EpisodeWindow(episode, r.GetString(0), r.T(1), r.T(2)), ct, e);
            if (windows.Count == 0) return null;
            var window = windows[0];

            var byType = await QueryAsync(c, tx,
                "SELECT contestant_id, vote_type, CAST(SUM(votes) AS BIGINT) FROM tallies WHERE episode_id = $1 GROUP BY contestant_id, vote_type",
                r => (Contestant: r.GetInt64(0), Type: r.GetString(1), Votes: r.L(2)), ct, e);
            var minutes = await QueryAsync(c, tx,
                "SELECT contestant_id, minute, CAST(SUM(votes) AS BIGINT) FROM minute_tallies WHERE episode_id = $1 GROUP BY contestant_id, minute",
                r => new MinuteVotes(new ContestantId(r.GetInt64(0)), r.L(1), r.L(2)), ct, e);
            var hours = await QueryAsync(c, tx,
                "SELECT hour, CAST(SUM(votes) AS BIGINT) FROM hourly_tallies WHERE episode_id = $1 GROUP BY hour ORDER BY hour",
                r => new HourVotes(SqlValue.FromMs(r.L(0) * 3_600_000), r.L(1)), ct, e);
            var (audience, byContestant) = await AudienceAsync(c, tx, window, ct);
            var unique = audience.Voters;
            var sms = (await QueryAsync(c, tx, "SELECT cents FROM episode_sms_revenue WHERE episode_id = $1", r => r.L(0), ct, e)).FirstOrDefault();
            var registered = SqlValue.Long(await ScalarAsync(c, tx, "SELECT COUNT(*) FROM voters", ct));

            return new EpisodeAnalyticsData(window,
                [.. byType.Select(t => VoteTypes.TryParse(t.Type, out var type) ? new TypeVotes(new ContestantId(t.Contestant), type, t.Votes) : null)
                    .OfType<TypeVotes>()],
                minutes, hours, unique, byContestant, audience, sms, await PackageSalesAsync(c, tx, window, ct), registered);
        }, ct);

    /// <summary>
    /// The episode's voters, one row each, summed as they stream: their votes in the episode, and who
    /// they were when they first voted in it (profile, sign-up time, and the loyalty points they held
    /// then plus those earned in the episode), all kept on the episode's own rows: no join. The same
    /// rows give each contestant's unique voters (their <c>contestant_votes</c>).
    /// </summary>
    private async Task<(Audience Audience, Dictionary<ContestantId, long> VotersByContestant)> AudienceAsync(DbConnection c, DbTransaction tx,
        EpisodeWindow window, CancellationToken ct)
    {
        var audience = new Audience(window.Start, DateOnly.FromDateTime((window.Start ?? Time.GetUtcNow()).UtcDateTime));
        var byContestant = new Dictionary<ContestantId, long>();
        await using var cmd = Command(c, tx,
            """
            SELECT province, gender, date_of_birth, voter_created_at, votes_cast, prior_points + points, CAST(contestant_votes AS TEXT)
            FROM voter_episode WHERE episode_id = $1 AND votes_cast > 0
            """, [window.Id.Value]);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            audience.Add(r.S(0), r.S(1), r.S(2), r.T(3)!.Value, r.L(4), r.L(5));
            // A contestant's unique voters: the voters with votes above 0 for it.
            foreach (var (contestant, votes) in ContestantVotesColumn.Parse(r.GetString(6)).Where(c => c.Votes > 0))
            {
                var id = new ContestantId(contestant);
                byContestant[id] = byContestant.GetValueOrDefault(id) + 1;
            }
        }
        return (audience, byContestant);
    }

    /// <summary>
    /// Purchases credited and not refunded whose time falls in the voting window (none before voting
    /// opened). The buyers who voted are found from the purchases (a few) into the episode's rows by
    /// key, never the other way round (SQLite chose to walk the episode's 500,000 voters for a join).
    /// </summary>
    private async Task<PackageSales> PackageSalesAsync(DbConnection c, DbTransaction tx, EpisodeWindow window, CancellationToken ct)
    {
        if (window.Start is not { } start) return new PackageSales(0, 0, new Dictionary<long, long>(), 0);
        var from = start.ToUnixTimeMilliseconds();
        var to = window.End?.ToUnixTimeMilliseconds() ?? long.MaxValue;
        var byAmount = (await QueryAsync(c, tx,
            """
            SELECT amount_cents, COUNT(*) FROM purchases
            WHERE status = 'credited' AND created_at >= $1 AND created_at <= $2 GROUP BY amount_cents
            """, r => (Cents: r.L(0), Count: r.L(1)), ct, from, to)).ToDictionary(x => x.Cents, x => x.Count);
        var buyers = SqlValue.Long(await ScalarAsync(c, tx,
            """
            SELECT COUNT(DISTINCT p.voter_id) FROM purchases p
            WHERE p.status = 'credited' AND p.created_at >= $1 AND p.created_at <= $2
                AND EXISTS (SELECT 1 FROM voter_episode ve WHERE ve.episode_id = $3 AND ve.voter_id = p.voter_id AND ve.votes_cast > 0)
            """, ct, from, to, window.Id.Value));
        return new PackageSales(byAmount.Values.Sum(), byAmount.Sum(kv => kv.Key * kv.Value), byAmount, buyers);
    }
}
