namespace Voting.Storage;

public partial interface IOutboxStore
{
    /// <summary>How many rows wait for delivery and how many are dead letters (two index range counts).</summary>
    Task<OutboxCounts> CountOutboxAsync(CancellationToken ct);
}

public sealed record OutboxCounts(long Pending, long Dead);
