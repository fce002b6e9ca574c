namespace Voting.Storage;

/// <summary>
/// Delivery of the outbox: rows written in the transactions that cause them (sign-in codes, SMS
/// replies, carrier charges), sent by a background dispatcher with retries and dead letters.
/// </summary>
public partial interface IOutboxStore
{
    /// <summary>
    /// Leases up to <paramref name="limit"/> due rows of <paramref name="kinds"/>, oldest first, counting
    /// an attempt: no other dispatcher (on any node) gets them until <paramref name="lease"/> runs out.
    /// A dispatcher that dies mid-send therefore leaves the row to be sent again after the lease.
    /// </summary>
    Task<IReadOnlyList<OutboxItem>> LeaseOutboxAsync(IReadOnlyList<string> kinds, int limit, TimeSpan lease, CancellationToken ct);

    /// <summary>Records attempts' results in one transaction; charge answers update the vote's pending charge.</summary>
    Task CompleteOutboxAsync(IReadOnlyList<OutboxCompletion> completions, CancellationToken ct);

    /// <summary>Rows in <paramref name="status"/>, newest first.</summary>
    Task<IReadOnlyList<OutboxEntry>> ListOutboxAsync(string status, string? kind, int limit, CancellationToken ct);

    /// <summary>Puts a dead letter back to pending with fresh attempts, due now.</summary>
    Task<OutboxRetryStatus> RetryOutboxAsync(long id, CancellationToken ct);
}
