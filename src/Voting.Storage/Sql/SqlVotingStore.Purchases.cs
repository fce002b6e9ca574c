using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Voting.Domain;
using Voting.Domain.Ledger;
using Voting.Domain.Purchases;
using Voting.Domain.Push;
using Voting.Storage.Ledger;

namespace Voting.Storage.Sql;

public abstract partial class SqlVotingStore
{
    private const string PackageColumns =
        "id, name, vote_count, bonus_votes, price_cents, currency, badge_text, sort_order, ios_product_id, android_product_id, active";

    private const string PurchaseColumns =
        "id, voter_id, platform, transaction_id, product_id, package_id, package_name, quantity, votes, amount_cents, currency, environment, status, purchased_at, created_at, refunded_at";

    private static VotePackage ReadPackage(DbDataReader r) => new(r.L(0), r.GetString(1), r.L(2), r.L(3), r.L(4), r.GetString(5), r.S(6), r.L(7),
        r.S(8), r.S(9), r.L(10) == 1);

    private static PurchaseRecord ReadPurchase(DbDataReader r) => new(r.L(0), new VoterId(r.L(1)), r.GetString(2), r.GetString(3), r.GetString(4),
        r.L(5), r.GetString(6), (int)r.L(7), r.L(8), r.L(9), r.GetString(10), r.GetString(11), r.GetString(12), r.T(13)!.Value, r.T(14)!.Value, r.T(15));

    public Task<IReadOnlyList<VotePackage>> GetPackagesAsync(bool activeOnly, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<VotePackage>>(async c => await QueryAsync(c, null,
            $"SELECT {PackageColumns} FROM vote_packages{(activeOnly ? " WHERE active = 1" : "")} ORDER BY sort_order, id", ReadPackage, ct), ct);

    public Task<VotePackage?> GetPackageAsync(long id, CancellationToken ct) =>
        ReadAsync(async c => (await QueryAsync(c, null, $"SELECT {PackageColumns} FROM vote_packages WHERE id = $1", ReadPackage, ct, id)).FirstOrDefault(), ct);

    public Task<VotePackage?> FindPackageByProductAsync(string platform, string productId, CancellationToken ct)
    {
        var column = platform switch
        {
            PurchasePlatforms.Ios => "ios_product_id",
            PurchasePlatforms.Android => "android_product_id",
            _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, "ios or android"),
        };
        return ReadAsync(async c => (await QueryAsync(c, null, $"SELECT {PackageColumns} FROM vote_packages WHERE {column} = $1", ReadPackage, ct, productId))
            .FirstOrDefault(), ct);
    }

    public async Task<(PackageWriteStatus Status, VotePackage? Package)> CreatePackageAsync(VotePackageDraft draft, CancellationToken ct)
    {
        var d = draft;
        try
        {
            var package = await InTransactionAsync(async (c, tx) =>
            {
                var now = NowMs;
                var id = SqlValue.Long(await ScalarAsync(c, tx,
                    """
                    INSERT INTO vote_packages (name, vote_count, bonus_votes, price_cents, currency, badge_text, sort_order, ios_product_id, android_product_id, active, created_at, updated_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id
                    """,
                    ct, d.Name, d.VoteCount, d.BonusVotes, d.PriceCents, d.Currency, d.BadgeText, d.SortOrder, d.IosProductId, d.AndroidProductId, d.Active ? 1L : 0L, now));
                return (await QueryAsync(c, tx, $"SELECT {PackageColumns} FROM vote_packages WHERE id = $1", ReadPackage, ct, id))[0];
            }, ct);
            return (PackageWriteStatus.Ok, package);
        }
        catch (Exception e) when (IsUniqueViolation(e))
        {
            return (PackageWriteStatus.ProductIdTaken, null);
        }
    }

    public async Task<(PackageWriteStatus Status, VotePackage? Package)> UpdatePackageAsync(long id, VotePackageDraft draft, CancellationToken ct)
    {
        var d = draft;
        try
        {
            var package = await InTransactionAsync(async (c, tx) =>
            {
                var changed = await ExecAsync(c, tx,
                    """
                    UPDATE vote_packages SET name = $2, vote_count = $3, bonus_votes = $4, price_cents = $5, currency = $6, badge_text = $7,
                        sort_order = $8, ios_product_id = $9, android_product_id = $10, active = $11, updated_at = $12
                    WHERE id = $1
                    """,
                    ct, id, d.Name, d.VoteCount, d.BonusVotes, d.PriceCents, d.Currency, d.BadgeText, d.SortOrder, d.IosProductId, d.AndroidProductId,
                    d.Active ? 1L : 0L, NowMs);
                return changed == 0 ? null : (await QueryAsync(c, tx, $"SELECT {PackageColumns} FROM vote_packages WHERE id = $1", ReadPackage, ct, id))[0];
            }, ct);
            return package is null ? (PackageWriteStatus.NotFound, null) : (PackageWriteStatus.Ok, package);
        }
        catch (Exception e) when (IsUniqueViolation(e))
        {
            return (PackageWriteStatus.ProductIdTaken, null);
        }
    }

    public Task<bool> SeedPackagesAsync(IReadOnlyList<VotePackageDraft> drafts, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            if (await ScalarAsync(c, tx, "SELECT id FROM vote_packages LIMIT 1", ct) is not null) return false;
            var now = NowMs;
            foreach (var d in drafts)
            {
                await ExecAsync(c, tx,
                    """
                    INSERT INTO vote_packages (name, vote_count, bonus_votes, price_cents, currency, badge_text, sort_order, ios_product_id, android_product_id, active, created_at, updated_at)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) ON CONFLICT DO NOTHING
                    """,
                    ct, d.Name, d.VoteCount, d.BonusVotes, d.PriceCents, d.Currency, d.BadgeText, d.SortOrder, d.IosProductId, d.AndroidProductId, d.Active ? 1L : 0L, now);
            }
            return true;
        }, ct);

    public Task<CreditResult> CreditPurchaseAsync(NewPurchase purchase, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            var p = purchase;
            if (await ScalarAsync(c, tx, $"SELECT id FROM voters WHERE id = $1{ForUpdate}", ct, p.Voter.Value) is null)
                return new CreditResult(CreditStatus.VoterNotFound, null, 0);
            var now = NowMs;
            // The purchase row is the key: a second insert of one transaction (or token) finds the
            // first. On PostgreSQL a concurrent duplicate waits here for the first to commit.
            var id = await ScalarAsync(c, tx,
                """
                INSERT INTO purchases (voter_id, platform, transaction_id, original_transaction_id, purchase_token, product_id, package_id, package_name,
                    quantity, votes, amount_cents, currency, environment, status, purchased_at, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'credited', $14, $15)
                ON CONFLICT DO NOTHING RETURNING id
                """,
                ct, p.Voter.Value, p.Platform, p.TransactionId, p.OriginalTransactionId, p.PurchaseToken, p.ProductId, p.Package.Id, p.Package.Name,
                (long)p.Quantity, p.Votes, p.AmountCents, p.Package.Currency, p.Environment, p.PurchasedAt.ToUnixTimeMilliseconds(), now);
            if (id is null)
            {
                var first = (await QueryAsync(c, tx,
                    $"SELECT {PurchaseColumns} FROM purchases WHERE (platform = $1 AND transaction_id = $2) OR purchase_token = $3 ORDER BY id LIMIT 1",
                    ReadPurchase, ct, p.Platform, p.TransactionId, p.PurchaseToken ?? "\u0001")).Single();
                var balance = SqlValue.Long(await ScalarAsync(c, tx, "SELECT vote_balance FROM voters WHERE id = $1", ct, p.Voter.Value));
                return new CreditResult(first.Voter == p.Voter ? CreditStatus.Duplicate : CreditStatus.OtherVoter, first, balance);
            }
            var purchaseId = SqlValue.Long(id);
            await WalletEntryAsync(c, tx, p.Voter.Value, p.Votes, "purchase", $"{p.Package.Name} ({p.Platform})", Key("purchase", purchaseId), purchaseId, false, now, ct);
            if (p.ConsumeFor is { } app && p.PurchaseToken is { } token)
            {
                await ExecAsync(c, tx, SmsSql.InsertOutbox, ct, PlayConsumePayload.Kind, $"purchase:{purchaseId}",
                    OutboxJson.Write(new PlayConsumePayload(app, p.ProductId, token)), Key("consume", purchaseId), now);
            }
            await QueuePurchasePushAsync(c, tx, p.Voter.Value, purchaseId, p.Votes, p.Package.Name, now, ct);
            var record = (await QueryAsync(c, tx, $"SELECT {PurchaseColumns} FROM purchases WHERE id = $1", ReadPurchase, ct, purchaseId))[0];
            return new CreditResult(CreditStatus.Credited, record, SqlValue.Long(await ScalarAsync(c, tx, "SELECT vote_balance FROM voters WHERE id = $1", ct, p.Voter.Value)));
        }, ct);

    public Task<NoticeResult> ApplyStoreNoticeAsync(StoreNotice notice, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            var n = notice;
            var now = NowMs;
            // Claimed first: a repeat (or, on PostgreSQL, a concurrent twin that waits here) finds the claim.
            var claim = await ScalarAsync(c, tx,
                "INSERT INTO store_notifications (source, notification_id, notification_type, outcome, received_at) VALUES ($1, $2, $3, 'ignored', $4) ON CONFLICT DO NOTHING RETURNING id",
                ct, n.Source, n.NotificationId, n.NotificationType, now);
            if (claim is null) return new NoticeResult(NoticeOutcome.Repeated, null, null, null);
            var noticeId = SqlValue.Long(claim);
            var found = await QueryAsync(c, tx,
                $"SELECT id, voter_id, votes, status FROM purchases WHERE (platform = $1 AND transaction_id = $2) OR purchase_token = $3 ORDER BY id LIMIT 1{ForUpdate}",
                r => (Id: r.L(0), Voter: r.L(1), Votes: r.L(2), Status: r.GetString(3)), ct, n.Platform, n.TransactionId ?? "\u0001", n.PurchaseToken ?? "\u0001");
            if (found.Count == 0) return new NoticeResult(NoticeOutcome.Ignored, null, null, null);
            var p = found[0];
            await ExecAsync(c, tx, "UPDATE store_notifications SET purchase_id = $2 WHERE id = $1", ct, noticeId, p.Id);
            var (outcome, status, votes, kind) = (n.Action, p.Status) switch
            {
                (StoreAction.Revoke, "credited") => (NoticeOutcome.Debited, "refunded", -p.Votes, "refund"),
                (StoreAction.Restore, "refunded") => (NoticeOutcome.Credited, "credited", p.Votes, "refund_reversed"),
                _ => (NoticeOutcome.Ignored, p.Status, 0L, ""),
            };
            if (outcome == NoticeOutcome.Ignored) return new NoticeResult(NoticeOutcome.Ignored, p.Id, new VoterId(p.Voter), null);
            await ExecAsync(c, tx, "UPDATE purchases SET status = $2, refunded_at = CASE WHEN $2 = 'refunded' THEN $3 END WHERE id = $1", ct, p.Id, status, now);
            await ExecAsync(c, tx, "UPDATE store_notifications SET outcome = $2 WHERE id = $1", ct, noticeId,
                outcome == NoticeOutcome.Debited ? "debited" : "credited");
            // A refund of votes already spent overdraws the wallet: the voter owes them.
            await WalletEntryAsync(c, tx, p.Voter, votes, kind, $"{n.Source} {n.NotificationType}", Key(kind, noticeId), p.Id, votes < 0, now, ct);
            var balance = SqlValue.Long(await ScalarAsync(c, tx, "SELECT vote_balance FROM voters WHERE id = $1", ct, p.Voter));
            return new NoticeResult(outcome, p.Id, new VoterId(p.Voter), balance);
        }, ct);

    public Task<PurchaseRecord?> FindPurchaseAsync(string platform, string transactionId, CancellationToken ct) =>
        ReadAsync(async c => (await QueryAsync(c, null, $"SELECT {PurchaseColumns} FROM purchases WHERE platform = $1 AND transaction_id = $2",
            ReadPurchase, ct, platform, transactionId)).FirstOrDefault(), ct);

    public Task<IReadOnlyList<PurchaseRecord>> GetRecentPurchasesAsync(VoterId voter, int limit, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<PurchaseRecord>>(async c => await QueryAsync(c, null,
            $"SELECT {PurchaseColumns} FROM purchases WHERE voter_id = $1 ORDER BY id DESC LIMIT $2", ReadPurchase, ct, voter.Value, (long)limit), ct);

    public Task<IReadOnlyList<PurchaseRecord>> ListPurchasesAsync(VoterId? voter, string? platform, string? status, long? beforeId, int limit, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<PurchaseRecord>>(async c => await QueryAsync(c, null,
            $"""
            SELECT {PurchaseColumns} FROM purchases
            WHERE ($1 = 0 OR voter_id = $1) AND ($2 = '' OR platform = $2) AND ($3 = '' OR status = $3) AND ($4 = 0 OR id < $4)
            ORDER BY id DESC LIMIT $5
            """,
            ReadPurchase, ct, voter?.Value ?? 0L, platform ?? "", status ?? "", beforeId ?? 0L, (long)limit), ct);

    public Task<PackageRevenue?> GetPackageRevenueAsync(EpisodeId episode, CancellationToken ct) =>
        ReadAsync<PackageRevenue?>(async c =>
        {
            var window = await QueryAsync(c, null, "SELECT voting_start, voting_end FROM episodes WHERE id = $1",
                r => (Start: r.NL(0), End: r.NL(1)), ct, episode.Value);
            if (window.Count == 0) return null;
            if (window[0].Start is not { } start) return new PackageRevenue(0, 0, 0, [], []);
            var end = window[0].End ?? long.MaxValue;
            var rows = await QueryAsync(c, null,
                """
                SELECT currency, status, CAST(COUNT(*) AS BIGINT), CAST(SUM(votes) AS BIGINT), CAST(SUM(amount_cents) AS BIGINT)
                FROM purchases WHERE created_at >= $1 AND created_at <= $2 GROUP BY currency, status ORDER BY currency, status
                """,
                r => (Currency: r.GetString(0), Status: r.GetString(1), Count: r.L(2), Votes: r.L(3), Cents: r.L(4)), ct, start, end);
            return new PackageRevenue(rows.Sum(r => r.Count), rows.Sum(r => r.Votes), rows.Where(r => r.Status == "refunded").Sum(r => r.Count),
                [.. rows.GroupBy(r => r.Currency).Select(g => new CurrencyAmount(g.Key, g.Sum(r => r.Cents)))],
                [.. rows.Where(r => r.Status == "refunded").Select(r => new CurrencyAmount(r.Currency, r.Cents))]);
        }, ct);

    /// <summary>A wallet entry of a purchase and the balance moved by its delta, in the caller's transaction.</summary>
    private async Task WalletEntryAsync(DbConnection c, DbTransaction tx, long voter, long votes, string kind, string reason, string key, long purchase,
        bool mayOverdraw, long now, CancellationToken ct)
    {
        await ExecAsync(c, tx,
            "INSERT INTO wallet_entries (voter_id, amount, kind, reason, idempotency_key, purchase_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            ct, voter, votes, kind, reason, key, purchase, now);
        foreach (var write in Projections.Plan([.. LedgerEffects.OfWalletEntry(voter, votes, mayOverdraw)], OutOfBatchStamp(now)))
            await ApplyWriteAsync(c, tx, write, ct);
    }

    /// <summary>A confirmation to each of the voter's devices, sent by the outbox after the credit commits.</summary>
    private async Task QueuePurchasePushAsync(DbConnection c, DbTransaction tx, long voter, long purchase, long votes, string package, long now, CancellationToken ct)
    {
        var tokens = await QueryAsync(c, tx, "SELECT platform, token FROM push_tokens WHERE voter_id = $1 ORDER BY token",
            r => (Platform: r.GetString(0), Token: r.GetString(1)), ct, voter);
        var message = PushMessages.PurchaseConfirmed(votes, package);
        foreach (var t in tokens)
        {
            var payload = OutboxJson.Write(new PushPayload(t.Platform, t.Token, message.Title, message.Body,
                new PushData(PushMessages.PurchaseConfirmationType, VoteCount: votes, PurchaseId: purchase)));
            var tokenKey = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(t.Token)))[..32];
            await ExecAsync(c, tx, SmsSql.InsertOutbox + " ON CONFLICT (idempotency_key) DO NOTHING", ct, PushPayload.Kind,
                string.Create(CultureInfo.InvariantCulture, $"voter:{voter}"), payload, $"push:purchase:{purchase}:{tokenKey}", now);
        }
    }

    private static string Key(string kind, long id) => string.Create(CultureInfo.InvariantCulture, $"{kind}:{id}");
}
