using Voting.Domain;
using Voting.Domain.Ledger;
using Voting.Storage.Ledger;

namespace Voting.Storage.Sql;

public abstract partial class SqlVotingStore
{
    public async Task<long?> CreditVotesAsync(VoterId voter, long amount, string kind, string? reason, string? idempotencyKey, CancellationToken ct)
    {
        try
        {
            return await InTransactionAsync<long?>(async (c, tx) =>
            {
                if (await ScalarAsync(c, tx, $"SELECT id FROM voters WHERE id = $1{ForUpdate}", ct, voter.Value) is null) return null;
                var now = NowMs;
                // The ledger row, then the wallet's projection moved by the entry's delta (a repeated key fails first).
                await ExecAsync(c, tx,
                    "INSERT INTO wallet_entries (voter_id, amount, kind, reason, idempotency_key, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    ct, voter.Value, amount, kind, reason, idempotencyKey, now);
                foreach (var write in Projections.Plan([.. LedgerEffects.OfWalletEntry(voter.Value, amount)], OutOfBatchStamp(now)))
                    await ApplyWriteAsync(c, tx, write, ct);
                return SqlValue.Long(await ScalarAsync(c, tx, "SELECT vote_balance FROM voters WHERE id = $1", ct, voter.Value));
            }, ct);
        }
        catch (Exception e) when (idempotencyKey is not null && IsUniqueViolation(e))
        {
            // The same credit again: it was applied once; answer with the balance as it is.
            return await ReadAsync(async c => SqlValue.NullableLong(await ScalarAsync(c, null, "SELECT vote_balance FROM voters WHERE id = $1", ct, voter.Value)), ct);
        }
    }

    public Task<(long BundleId, long Remaining)?> GrantBundleAsync(VoterId voter, long votes, string source, CancellationToken ct) =>
        InTransactionAsync<(long, long)?>(async (c, tx) =>
        {
            if (await ScalarAsync(c, tx, "SELECT id FROM voters WHERE id = $1", ct, voter.Value) is null) return null;
            var id = SqlValue.Long(await ScalarAsync(c, tx,
                "INSERT INTO bundles (voter_id, granted_votes, remaining_votes, source, created_at) VALUES ($1, $2, $2, $3, $4) RETURNING id",
                ct, voter.Value, votes, source, NowMs));
            return (id, votes);
        }, ct);

    public Task<IReadOnlyList<WalletEntry>> GetRecentCreditsAsync(VoterId voter, int limit, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<WalletEntry>>(async c => await QueryAsync(c, null,
            "SELECT id, amount, kind, reason, created_at FROM wallet_entries WHERE voter_id = $1 ORDER BY id DESC LIMIT $2",
            r => new WalletEntry(r.GetInt64(0), r.L(1), r.GetString(2), r.S(3), r.T(4)!.Value), ct, voter.Value, limit), ct);

    public Task<WalletAudit> AuditWalletsAsync(CancellationToken ct) =>
        SnapshotAsync(async (c, tx) =>
        {
            var voters = SqlValue.Long(await ScalarAsync(c, tx, "SELECT COUNT(*) FROM voters", ct));
            var wrong = await QueryAsync(c, tx,
                """
                SELECT v.id, v.vote_balance, COALESCE(w.total, 0), COALESCE(p.spent, 0)
                FROM voters v
                LEFT JOIN (SELECT voter_id, SUM(amount) AS total FROM wallet_entries GROUP BY voter_id) w ON w.voter_id = v.id
                LEFT JOIN (SELECT x.voter_id, SUM(x.vote_count) AS spent FROM votes x
                           WHERE x.vote_type = 'paid' AND NOT EXISTS (SELECT 1 FROM vote_voids vv WHERE vv.vote_id = x.id AND vv.refunded = 1)
                           GROUP BY x.voter_id) p ON p.voter_id = v.id
                WHERE v.vote_balance <> COALESCE(w.total, 0) - COALESCE(p.spent, 0)
                ORDER BY v.id
                """,
                r => new WalletMismatch(new VoterId(r.L(0)), r.L(1), r.L(2), r.L(3)), ct);
            return new WalletAudit(voters, wrong.Count, [.. wrong.Take(20)]);
        }, ct);
}
