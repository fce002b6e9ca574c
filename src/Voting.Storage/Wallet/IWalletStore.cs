using Voting.Domain;

namespace Voting.Storage;

/// <summary>Paid-vote credits and vote bundles.</summary>
public interface IWalletStore
{
    /// <summary>Credits paid votes; null when the voter does not exist.</summary>
    Task<long?> CreditVotesAsync(VoterId voter, long amount, string kind, string? reason, string? idempotencyKey, CancellationToken ct);

    /// <summary>Grants a bundle; null when the voter does not exist.</summary>
    Task<(long BundleId, long Remaining)?> GrantBundleAsync(VoterId voter, long votes, string source, CancellationToken ct);

    /// <summary>The voter's latest wallet credits, newest first.</summary>
    Task<IReadOnlyList<WalletEntry>> GetRecentCreditsAsync(VoterId voter, int limit, CancellationToken ct);

    /// <summary>
    /// The wallet check over every voter: wallet entries (credits, purchases, refund debits) minus
    /// the paid votes that still spend (not voided with a refund) equals the balance.
    /// </summary>
    Task<WalletAudit> AuditWalletsAsync(CancellationToken ct);
}

/// <summary>The wallet check: how many voters were checked and those whose balance disagrees with their ledger.</summary>
public sealed record WalletAudit(long Voters, long Mismatched, IReadOnlyList<WalletMismatch> Examples)
{
    public bool Consistent => Mismatched == 0;
}

/// <summary>A voter whose <paramref name="Balance"/> is not <paramref name="Entries"/> − <paramref name="PaidVotes"/>.</summary>
public sealed record WalletMismatch(VoterId Voter, long Balance, long Entries, long PaidVotes);
