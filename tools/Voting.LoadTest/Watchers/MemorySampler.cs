namespace Voting.LoadTest.Watchers;

/// <summary>Samples the server's resident memory twice a second in the background, keeping the peak.</summary>
internal sealed class MemorySampler(int? pid) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private long _peak;

    public int? Pid => pid;

    public long? Now() => pid is { } p ? ServerMemory.RssBytes(p) : null;

    public long? Peak => pid is null ? null : Interlocked.Read(ref _peak);

    public void Start() => _loop = LoopAsync();

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        try
        {
            do
            {
                if (Now() is { } rss && rss > Interlocked.Read(ref _peak)) Interlocked.Exchange(ref _peak, rss);
            }
            while (await timer.WaitForNextTickAsync(_stop.Token));
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        _stop.Dispose();
    }
}
