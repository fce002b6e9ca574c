using System.Data.Common;
using Voting.Storage.Fraud;

namespace Voting.Storage.Sql;

/// <summary>Reviews, blocked attempts and travel marks (issue 10).</summary>
public abstract partial class SqlVotingStore : IFraudStore
{
    private const string ReviewColumns =
        "r.id, r.vote_id, r.voter_id, r.episode_id, r.score, r.reasons, r.status, r.created_at, r.decided_at, r.decided_by, r.decision_note, r.inputs, v.device_id, v.ip";

    private const string BlockedColumns =
        "id, voter_id, episode_id, contestant_id, vote_type, vote_count, score, reasons, geo_blocked, inputs, ip, device_id, created_at";

    public Task RecordBlockedAsync(IReadOnlyList<BlockedAttempt> attempts, CancellationToken ct)
    {
        if (attempts.Count == 0) return Task.CompletedTask;
        return InTransactionAsync(async (c, tx) =>
        {
            foreach (var a in attempts)
            {
                await ExecAsync(c, tx,
                    """
                    INSERT INTO fraud_blocked (voter_id, episode_id, contestant_id, vote_type, vote_count, score, reasons, geo_blocked, inputs, ip, device_id, created_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                    """, ct, a.Voter, SqlArg.Int(a.Episode), a.Contestant, a.VoteType, a.VoteCount, a.Score, a.Reasons, a.GeoBlocked ? 1 : 0,
                    a.Inputs, SqlArg.Text(a.Ip), SqlArg.Text(a.DeviceId), a.CreatedAtMs);
            }
            return 0;
        }, ct);
    }

    public Task<IReadOnlyList<ReviewRecord>> ListReviewsAsync(long? episode, ReviewStatus? status, int limit, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<ReviewRecord>>(async c => await QueryAsync(c, null,
            $"""
            SELECT {ReviewColumns} FROM fraud_reviews r JOIN votes v ON v.id = r.vote_id
            WHERE ($1 IS NULL OR r.episode_id = $1) AND ($2 IS NULL OR r.status = $2)
            ORDER BY r.id DESC LIMIT $3
            """, ReadReview, ct, SqlArg.Int(episode), SqlArg.Text(status?.ToWire()), limit), ct);

    public Task<ReviewRecord?> GetReviewAsync(long id, CancellationToken ct) =>
        ReadAsync(async c => (await QueryAsync(c, null,
            $"SELECT {ReviewColumns} FROM fraud_reviews r JOIN votes v ON v.id = r.vote_id WHERE r.id = $1", ReadReview, ct, id)).FirstOrDefault(), ct);

    public Task<ReviewDecision> ApproveReviewAsync(long id, string actor, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            var changed = await ExecAsync(c, tx,
                "UPDATE fraud_reviews SET status = 'approved', decided_at = $2, decided_by = $3 WHERE id = $1 AND status = 'open'",
                ct, id, NowMs, actor);
            if (changed == 1) return ReviewDecision.Ok;
            var exists = await ScalarAsync(c, tx, "SELECT 1 FROM fraud_reviews WHERE id = $1", ct, id);
            return exists is null ? ReviewDecision.NotFound : ReviewDecision.InvalidTransition;
        }, ct);

    public Task<IReadOnlyList<BlockedRecord>> ListBlockedAsync(long? episode, int limit, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<BlockedRecord>>(async c => await QueryAsync(c, null,
            $"SELECT {BlockedColumns} FROM fraud_blocked WHERE ($1 IS NULL OR episode_id = $1) ORDER BY id DESC LIMIT $2",
            r => new BlockedRecord(r.L(0), r.L(1), r.NL(2), r.L(3), r.GetString(4), (int)r.L(5), (int)r.L(6), SplitReasons(r.GetString(7)),
                r.L(8) == 1, r.GetString(9), r.S(10), r.S(11), SqlValue.FromMs(r.L(12))),
            ct, SqlArg.Int(episode), limit), ct);

    public Task<bool> SetTravelAsync(long voter, DateTimeOffset until, string actor, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            if (await ScalarAsync(c, tx, "SELECT 1 FROM voters WHERE id = $1", ct, voter) is null) return false;
            await ExecAsync(c, tx,
                """
                INSERT INTO voter_travel (voter_id, until_ms, set_by, updated_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (voter_id) DO UPDATE SET until_ms = excluded.until_ms, set_by = excluded.set_by, updated_at = excluded.updated_at
                """, ct, voter, until.ToUnixTimeMilliseconds(), actor, NowMs);
            return true;
        }, ct);

    public Task<IReadOnlyDictionary<long, long>> GetTravelMarksAsync(long nowMs, CancellationToken ct) =>
        ReadAsync<IReadOnlyDictionary<long, long>>(async c =>
            (await QueryAsync(c, null, "SELECT voter_id, until_ms FROM voter_travel WHERE until_ms > $1", r => (r.L(0), r.L(1)), ct, nowMs))
            .ToDictionary(x => x.Item1, x => x.Item2), ct);

    /// <summary>In the void's transaction: the reviews of the rows it voided are decided as voided.</summary>
    private Task VoidReviewsAsync(DbConnection c, DbTransaction tx, long voidId, string actor, string reason, long now, CancellationToken ct) =>
        ExecAsync(c, tx,
            """
            UPDATE fraud_reviews SET status = 'voided', decided_at = $2, decided_by = $3, decision_note = $4
            WHERE status <> 'voided' AND vote_id IN (SELECT vote_id FROM vote_voids WHERE void_id = $1)
            """, ct, voidId, now, actor, reason);

    private static ReviewRecord ReadReview(DbDataReader r) => new(r.L(0), r.L(1), r.L(2), r.L(3), (int)r.L(4), SplitReasons(r.GetString(5)),
        r.GetString(6), SqlValue.FromMs(r.L(7)), r.T(8), r.S(9), r.S(10), r.GetString(11), r.S(12), r.S(13));

    private static IReadOnlyList<string> SplitReasons(string reasons) =>
        reasons.Length == 0 ? [] : reasons.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
