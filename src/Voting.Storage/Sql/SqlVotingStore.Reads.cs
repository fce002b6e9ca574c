using System.Data.Common;
using Voting.Domain;
using Voting.Domain.Audit;
using Voting.Domain.Voting;
using Voting.Storage.Ledger;

namespace Voting.Storage.Sql;

public abstract partial class SqlVotingStore
{
    /// <summary>A vote row <c>v</c> that no void took back.</summary>
    private const string NotVoided = "NOT EXISTS (SELECT 1 FROM vote_voids vv WHERE vv.vote_id = v.id)";

    /// <summary>Begins a read-only transaction that sees one consistent snapshot.</summary>
    protected abstract ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct);

    private async Task<T> SnapshotAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = await BeginSnapshotAsync(c, ct);
        var result = await work(c, tx);
        await tx.CommitAsync(ct);
        return result;
    }

    public Task<VoterSummary?> GetVoterSummaryAsync(VoterId voter, EpisodeId? episode, CancellationToken ct) =>
        ReadAsync(async c =>
        {
            var rows = await QueryAsync(c, null,
                """
                SELECT v.id, v.phone, v.phone_verified_at, v.vote_balance,
                    CAST(COALESCE((SELECT SUM(x.loyalty_points) FROM votes x WHERE x.voter_id = v.id AND NOT EXISTS (SELECT 1 FROM vote_voids vv WHERE vv.vote_id = x.id)), 0) AS BIGINT),
                    CAST(COALESCE((SELECT SUM(remaining_votes) FROM bundles WHERE voter_id = v.id), 0) AS BIGINT),
                    COALESCE(ve.free_used, 0), COALESCE(ve.paid_cast, 0), COALESCE(ve.votes_cast, 0),
                    COALESCE((SELECT used FROM voter_daily_sms WHERE voter_id = v.id AND day = $3), 0)
                FROM voters v LEFT JOIN voter_episode ve ON ve.voter_id = v.id AND ve.episode_id = $2
                WHERE v.id = $1
                """,
                r => new VoterSummary(new VoterId(r.GetInt64(0)), r.GetString(1), !r.IsDBNull(2), r.L(3), r.L(4), r.L(5), r.L(6), r.L(7), r.L(8), r.L(9)),
                ct, voter.Value, episode?.Value ?? 0, VoteRules.PhnomPenhDay(Time.GetUtcNow()));
            return rows.Count == 0 ? null : rows[0];
        }, ct);

    public Task<EpisodeResults> GetResultsAsync(EpisodeId episode, CancellationToken ct) =>
        SnapshotAsync(async (c, tx) =>
        {
            var tallies = await QueryAsync(c, tx,
                "SELECT contestant_id, vote_type, CAST(SUM(votes) AS BIGINT) FROM tallies WHERE episode_id = $1 GROUP BY contestant_id, vote_type",
                r => (Contestant: r.GetInt64(0), Type: r.GetString(1), Votes: r.L(2)), ct, episode.Value);
            var hours = await QueryAsync(c, tx,
                "SELECT hour, CAST(SUM(votes) AS BIGINT) FROM hourly_tallies WHERE episode_id = $1 GROUP BY hour ORDER BY hour",
                r => new HourVotes(SqlValue.FromMs(r.L(0) * 3_600_000), r.L(1)), ct, episode.Value);
            var unique = SqlValue.Long(await ScalarAsync(c, tx,
                "SELECT COUNT(*) FROM voter_episode WHERE episode_id = $1 AND votes_cast > 0", ct, episode.Value));
            var contestants = tallies.GroupBy(t => t.Contestant).Select(g =>
            {
                var byType = new Dictionary<VoteType, long>();
                foreach (var t in g)
                {
                    if (VoteTypes.TryParse(t.Type, out var type)) byType[type] = t.Votes;
                }
                return new ContestantResult(new ContestantId(g.Key), g.Sum(t => t.Votes), byType);
            }).ToList();
            return new EpisodeResults(contestants, hours, unique);
        }, ct);

    public Task<HistoryPage> GetHistoryAsync(VoterId voter, int page, int perPage, CancellationToken ct) =>
        SnapshotAsync(async (c, tx) =>
        {
            var total = SqlValue.Long(await ScalarAsync(c, tx, "SELECT COUNT(*) FROM votes WHERE voter_id = $1", ct, voter.Value));
            var rows = await QueryAsync(c, tx,
                """
                SELECT v.id, v.episode_id, e.title, e.episode_number, v.contestant_id, c.name, v.vote_type, v.vote_count, v.created_at,
                    (SELECT vv.vote_id FROM vote_voids vv WHERE vv.vote_id = v.id)
                FROM votes v JOIN episodes e ON e.id = v.episode_id JOIN contestants c ON c.id = v.contestant_id
                WHERE v.voter_id = $1 ORDER BY v.id DESC LIMIT $2 OFFSET $3
                """,
                r =>
                {
                    var type = VoteTypes.TryParse(r.GetString(6), out var t) ? t : VoteType.Free;
                    return new HistoryRow(r.GetInt64(0), new EpisodeId(r.GetInt64(1)), r.GetString(2), (int)r.L(3),
                        new ContestantId(r.GetInt64(4)), r.GetString(5), type, (int)r.L(7), r.T(8)!.Value, Voided: !r.IsDBNull(9));
                },
                ct, voter.Value, perPage, (long)(page - 1) * perPage);
            return new HistoryPage(rows, total);
        }, ct);

    public Task<EpisodeAudit> AuditEpisodeAsync(EpisodeId episode, CancellationToken ct) =>
        SnapshotAsync(async (c, tx) =>
        {
            var e = episode.Value;
            var ledger = (await QueryAsync(c, tx,
                $"SELECT contestant_id, vote_type, CAST(SUM(vote_count) AS BIGINT) FROM votes v WHERE episode_id = $1 AND {NotVoided} GROUP BY contestant_id, vote_type",
                r => (Key: (r.GetInt64(0), r.GetString(1)), Votes: r.L(2)), ct, e)).ToDictionary(x => x.Key, x => x.Votes);
            var kept = (await QueryAsync(c, tx,
                "SELECT contestant_id, vote_type, CAST(SUM(votes) AS BIGINT) FROM tallies WHERE episode_id = $1 GROUP BY contestant_id, vote_type",
                r => (Key: (r.GetInt64(0), r.GetString(1)), Votes: r.L(2)), ct, e)).ToDictionary(x => x.Key, x => x.Votes);
            var hourly = SqlValue.Long(await ScalarAsync(c, tx, "SELECT CAST(COALESCE(SUM(votes), 0) AS BIGINT) FROM hourly_tallies WHERE episode_id = $1", ct, e));
            var byMinute = (await QueryAsync(c, tx,
                "SELECT contestant_id, CAST(SUM(votes) AS BIGINT) FROM minute_tallies WHERE episode_id = $1 GROUP BY contestant_id",
                r => (Contestant: r.GetInt64(0), Votes: r.L(1)), ct, e)).Where(x => x.Votes != 0).ToDictionary(x => x.Contestant, x => x.Votes);
            var ledgerByContestant = ledger.GroupBy(kv => kv.Key.Item1).Select(g => (Contestant: g.Key, Votes: g.Sum(kv => kv.Value)))
                .Where(x => x.Votes != 0).ToDictionary(x => x.Contestant, x => x.Votes);

            var talliesAgree = ledger.Count(kv => kv.Value != 0) == kept.Count(kv => kv.Value != 0)
                && ledger.All(kv => kept.GetValueOrDefault(kv.Key) == kv.Value)
                && hourly == ledger.Values.Sum()
                && byMinute.Count == ledgerByContestant.Count && ledgerByContestant.All(kv => byMinute.GetValueOrDefault(kv.Key) == kv.Value);
            var byContestant = ledger.Keys.Select(k => k.Item1).Union(kept.Keys.Select(k => k.Item1)).Order()
                .Select(id => new ContestantAudit(new ContestantId(id),
                    ledger.Where(kv => kv.Key.Item1 == id).Sum(kv => kv.Value),
                    kept.Where(kv => kv.Key.Item1 == id).Sum(kv => kv.Value)))
                .ToList();

            var perVoter = (await QueryAsync(c, tx,
                """
                SELECT v.voter_id,
                    CAST(SUM(CASE WHEN v.vote_type = 'free' AND (vv.refunded IS NULL OR vv.refunded = 0) THEN v.vote_count ELSE 0 END) AS BIGINT),
                    CAST(SUM(CASE WHEN v.vote_type = 'paid' AND vv.vote_id IS NULL THEN v.vote_count ELSE 0 END) AS BIGINT),
                    CAST(SUM(CASE WHEN vv.vote_id IS NULL THEN v.vote_count ELSE 0 END) AS BIGINT),
                    CAST(SUM(CASE WHEN vv.vote_id IS NULL THEN v.loyalty_points ELSE 0 END) AS BIGINT)
                FROM votes v LEFT JOIN vote_voids vv ON vv.vote_id = v.id WHERE v.episode_id = $1 GROUP BY v.voter_id
                """, r => (Voter: r.GetInt64(0), Counts: (r.L(1), r.L(2), r.L(3), r.L(4))), ct, e)).ToDictionary(x => x.Voter, x => x.Counts);
            var counters = (await QueryAsync(c, tx,
                "SELECT voter_id, free_used, paid_cast, votes_cast, points FROM voter_episode WHERE episode_id = $1",
                r => (Voter: r.GetInt64(0), Counts: (r.L(1), r.L(2), r.L(3), r.L(4))), ct, e)).ToDictionary(x => x.Voter, x => x.Counts);
            var votersAgree = counters.All(kv => kv.Value == perVoter.GetValueOrDefault(kv.Key))
                && perVoter.All(kv => counters.GetValueOrDefault(kv.Key) == kv.Value);

            using var digest = new VoteDigest();
            long rows = 0;
            await using (var cmd = Command(c, tx,
                "SELECT id, voter_id, episode_id, contestant_id, vote_type, vote_count, created_at FROM votes WHERE episode_id = $1 ORDER BY id", [e]))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    rows++;
                    digest.Append(new DigestRow(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                        reader.GetString(4), reader.L(5), reader.L(6)));
                }
            }
            long voidRows = 0, voidedVotes = 0;
            await using (var cmd = Command(c, tx,
                "SELECT vote_id, void_id, refunded, vote_count, created_at FROM vote_voids WHERE episode_id = $1 ORDER BY vote_id", [e]))
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    voidRows++;
                    voidedVotes += reader.L(3);
                    digest.Append(new VoidDigestRow(reader.GetInt64(0), reader.GetInt64(1), reader.L(2) != 0, reader.L(4)));
                }
            }
            return new EpisodeAudit(ledger.Values.Sum(), kept.Values.Sum(), talliesAgree, votersAgree, byContestant, rows, digest.Finish(),
                voidedVotes, voidRows, await AnalyticsCountersAgreeAsync(c, tx, e, ct));
        }, ct);

    /// <summary>The analytics counters recomputed from the ledger: votes per voter and contestant, and confirmed SMS revenue.</summary>
    private async Task<bool> AnalyticsCountersAgreeAsync(DbConnection c, DbTransaction tx, long e, CancellationToken ct)
    {
        var ledger = (await QueryAsync(c, tx,
            $"SELECT contestant_id, voter_id, CAST(SUM(vote_count) AS BIGINT) FROM votes v WHERE episode_id = $1 AND {NotVoided} GROUP BY contestant_id, voter_id",
            r => (Key: (r.GetInt64(0), r.GetInt64(1)), Votes: r.L(2)), ct, e)).ToDictionary(x => x.Key, x => x.Votes);
        var rows = await QueryAsync(c, tx, "SELECT voter_id, CAST(contestant_votes AS TEXT) FROM voter_episode WHERE episode_id = $1",
            r => (Voter: r.GetInt64(0), Json: r.GetString(1)), ct, e);
        bool perVoterAgree;
        try
        {
            var kept = new Dictionary<(long, long), long>();
            foreach (var row in rows)
            {
                foreach (var (contestant, votes) in ContestantVotesColumn.Parse(row.Json)) kept[(contestant, row.Voter)] = votes;
            }
            perVoterAgree = ledger.All(kv => kept.GetValueOrDefault(kv.Key) == kv.Value) && kept.All(kv => ledger.GetValueOrDefault(kv.Key) == kv.Value);
        }
        catch (FormatException)
        {
            perVoterAgree = false; // a counter that cannot be read does not agree with anything
        }

        var charges = (await QueryAsync(c, tx,
            """
            SELECT COUNT(*), CAST(COALESCE(SUM(cc.amount_cents), 0) AS BIGINT)
            FROM carrier_charges cc JOIN votes v ON v.id = cc.vote_id WHERE v.episode_id = $1 AND cc.status = 'confirmed'
            """, r => (r.L(0), r.L(1)), ct, e))[0];
        var revenue = (await QueryAsync(c, tx, "SELECT charges, cents FROM episode_sms_revenue WHERE episode_id = $1", r => (r.L(0), r.L(1)), ct, e))
            .DefaultIfEmpty((0L, 0L)).First();
        return perVoterAgree && charges == revenue;
    }
}
