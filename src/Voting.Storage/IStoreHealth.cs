namespace Voting.Storage;

/// <summary>Whether the store answers (the health endpoint).</summary>
public interface IStoreHealth
{
    /// <summary>Checks that the store answers.</summary>
    Task PingAsync(CancellationToken ct);
}
