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
}
