namespace Voting.Storage;

/// <summary>One process is the whole service (SQLite): it runs the clocks, and its changes reach its own viewers directly.</summary>
public sealed class SingleNodeCoordination : INodeCoordination
{
    public bool IsSingleNode => true;

    public ValueTask<bool> TryHoldClockLockAsync(CancellationToken ct) => ValueTask.FromResult(true);

    public ValueTask ReleaseClockLockAsync(CancellationToken ct) => ValueTask.CompletedTask;

    public Task PublishAsync(NodeNotice notice, CancellationToken ct) => Task.CompletedTask;

    public async Task ListenAsync(Action<NodeNotice> onNotice, Action onListening, CancellationToken ct)
    {
        onListening();
        await Task.Delay(Timeout.Infinite, ct);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
