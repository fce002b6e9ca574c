namespace Voting.Server.Outbox;

/// <summary>Wakes the dispatcher when rows were just written, so a reply does not wait for the next poll.</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Nudge()
    {
        if (_wake.CurrentCount > 0) return;
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another nudge got there first: the dispatcher is woken either way.
        }
    }

    /// <summary>Waits for a nudge or the poll interval, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan poll, CancellationToken ct) => _wake.WaitAsync(poll, ct);

    public void Dispose() => _wake.Dispose();
}
