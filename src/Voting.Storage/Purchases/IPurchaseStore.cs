using Voting.Domain;
using Voting.Domain.Purchases;

namespace Voting.Storage;

/// <summary>A store transaction to credit: the verified receipt's facts and the package they buy.</summary>
/// <param name="TransactionId">Apple's transactionId, Google's orderId, or the test store's id: unique per platform.</param>
/// <param name="PurchaseToken">Google's purchase token (consumed through the outbox once the credit commits).</param>
/// <param name="ConsumeFor">For Google: the app's package name, so the consume call can be queued; null otherwise.</param>
public sealed record NewPurchase(VoterId Voter, string Platform, string TransactionId, string? OriginalTransactionId,
    string? PurchaseToken, string ProductId, VotePackage Package, int Quantity, string Environment, DateTimeOffset PurchasedAt,
    string? ConsumeFor = null)
{
    public long Votes => Package.TotalVotes * Quantity;
    public long AmountCents => Package.PriceCents * Quantity;
}

/// <summary>A purchase as recorded.</summary>
public sealed record PurchaseRecord(long Id, VoterId Voter, string Platform, string TransactionId, string ProductId, long PackageId,
    string PackageName, int Quantity, long Votes, long AmountCents, string Currency, string Environment, string Status,
    DateTimeOffset PurchasedAt, DateTimeOffset CreatedAt, DateTimeOffset? RefundedAt);

public enum CreditStatus { Credited, Duplicate, OtherVoter, VoterNotFound }

/// <summary>What a credit did: <see cref="CreditStatus.Duplicate"/> and <see cref="CreditStatus.OtherVoter"/> carry the first purchase.</summary>
public sealed record CreditResult(CreditStatus Status, PurchaseRecord? Purchase, long Balance);

/// <summary>What a store's notification asks of a purchase.</summary>
public enum StoreAction
{
    /// <summary>Nothing (a notification type that moves no votes): recorded so it is applied once.</summary>
    None,
    /// <summary>The store refunded or voided the purchase: its votes are debited.</summary>
    Revoke,
    /// <summary>The store reversed its refund: the votes are credited again.</summary>
    Restore,
}

/// <summary>A store notification about a purchase, found by (platform, transaction id) or by Google's purchase token.</summary>
public sealed record StoreNotice(string Source, string NotificationId, string NotificationType, StoreAction Action,
    string Platform, string? TransactionId, string? PurchaseToken);

public enum NoticeOutcome { Debited, Credited, Ignored, Repeated }

public sealed record NoticeResult(NoticeOutcome Outcome, long? PurchaseId, VoterId? Voter, long? Balance);

/// <summary>Package sales of an episode: purchases credited within its voting window.</summary>
public sealed record PackageRevenue(long Purchases, long Votes, long Refunded, IReadOnlyList<CurrencyAmount> Gross, IReadOnlyList<CurrencyAmount> RefundedAmount);

public sealed record CurrencyAmount(string Currency, long Cents);

public enum PackageWriteStatus { Ok, NotFound, ProductIdTaken }

/// <summary>The package catalog, purchases credited exactly once, and store refunds through the ledger.</summary>
public interface IPurchaseStore
{
    Task<IReadOnlyList<VotePackage>> GetPackagesAsync(bool activeOnly, CancellationToken ct);

    Task<VotePackage?> GetPackageAsync(long id, CancellationToken ct);

    /// <summary>The package sold as <paramref name="productId"/> on <paramref name="platform"/> (ios or android).</summary>
    Task<VotePackage?> FindPackageByProductAsync(string platform, string productId, CancellationToken ct);

    Task<(PackageWriteStatus Status, VotePackage? Package)> CreatePackageAsync(VotePackageDraft draft, CancellationToken ct);

    Task<(PackageWriteStatus Status, VotePackage? Package)> UpdatePackageAsync(long id, VotePackageDraft draft, CancellationToken ct);

    /// <summary>Seeds the catalog when it is empty (the demo); false when it already had packages.</summary>
    Task<bool> SeedPackagesAsync(IReadOnlyList<VotePackageDraft> drafts, CancellationToken ct);

    /// <summary>
    /// The purchase row and the wallet credit in one transaction, unique per (platform, transaction):
    /// the same transaction again answers the first purchase; a concurrent duplicate waits for it.
    /// With the credit: Google's consume call and the confirmation push, through the outbox.
    /// </summary>
    Task<CreditResult> CreditPurchaseAsync(NewPurchase purchase, CancellationToken ct);

    /// <summary>A store notification applied once (per source and id), through the ledger: a debit may overdraw the wallet.</summary>
    Task<NoticeResult> ApplyStoreNoticeAsync(StoreNotice notice, CancellationToken ct);

    /// <summary>The purchase of a store transaction, or null.</summary>
    Task<PurchaseRecord?> FindPurchaseAsync(string platform, string transactionId, CancellationToken ct);

    /// <summary>The voter's latest purchases, newest first.</summary>
    Task<IReadOnlyList<PurchaseRecord>> GetRecentPurchasesAsync(VoterId voter, int limit, CancellationToken ct);

    /// <summary>Purchases for the operator, newest first, with ids below <paramref name="beforeId"/> when given.</summary>
    Task<IReadOnlyList<PurchaseRecord>> ListPurchasesAsync(VoterId? voter, string? platform, string? status, long? beforeId, int limit, CancellationToken ct);

    /// <summary>Package sales in the episode's voting window; null when the episode does not exist.</summary>
    Task<PackageRevenue?> GetPackageRevenueAsync(EpisodeId episode, CancellationToken ct);
}
