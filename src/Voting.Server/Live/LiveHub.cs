using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Voting.Domain;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Live;

/// <summary>
/// This node's push fan-out: one <see cref="EpisodeFeed"/> per episode anyone watches. Its
/// pump turns "votes committed" marks into at most one tally read and one LIVE_RESULTS per
/// second per watched episode. Pacing waits on a real PeriodicTimer and measures elapsed time
/// with the TimeProvider's timestamp, which a test's manual show clock leaves running: pacing is
/// about load, not show time, and a test that stops the show clock must not stall delivery.
/// </summary>
public sealed class LiveHub(IShowStore shows, ICatalogStore catalog, TimeProvider time, IOptions<LiveOptions> options, ILogger<LiveHub> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<long, EpisodeFeed> _feeds = new();
    private volatile bool _stopping;

    public LiveOptions Options => options.Value;

    /// <summary>The clock whose timestamps stamp the connections' sends (for the watchdog).</summary>
    public TimeProvider Time => time;

    public bool IsStopping => _stopping;

    /// <summary>The episode's feed, loaded; null when the episode does not exist.</summary>
    public async Task<EpisodeFeed?> FeedAsync(EpisodeId episode, CancellationToken ct)
    {
        var feed = _feeds.GetOrAdd(episode.Value, _ => new EpisodeFeed(episode, shows, catalog, time, options.Value, logger));
        if (await feed.EnsureLoadedAsync(ct)) return feed;
        if (_feeds.TryRemove(new KeyValuePair<long, EpisodeFeed>(episode.Value, feed))) feed.Dispose();
        return null;
    }

    public int SubscriberCount(EpisodeId episode) => _feeds.TryGetValue(episode.Value, out var f) ? f.SubscriberCount : 0;

    /// <summary>Votes were committed for these episodes (here or on another node).</summary>
    public void MarkDirty(IEnumerable<EpisodeId> episodes)
    {
        foreach (var e in episodes)
        {
            if (_feeds.TryGetValue(e.Value, out var feed)) feed.MarkDirty();
        }
    }

    /// <summary>A show changed here (the show after the change) or on another node (null: each feed reads it).</summary>
    public void ShowChanged(EpisodeId episode, ShowRecord? show = null)
    {
        if (_feeds.TryGetValue(episode.Value, out var feed)) feed.ShowChanged(show);
    }

    /// <summary>After a gap in cross-node notifications: re-read every watched show and its results.</summary>
    public void Resync()
    {
        foreach (var feed in _feeds.Values)
        {
            feed.MarkDirty();
            feed.ShowChanged(null);
        }
    }

    /// <summary>Ends every stream cleanly (WebSocket close frame, SSE end) as the host begins to stop.</summary>
    public void CloseAll()
    {
        _stopping = true;
        foreach (var feed in _feeds.Values) feed.CloseAll(StreamEnd.Shutdown);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watchdog = WatchSendsAsync(stoppingToken);
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Clamp(options.Value.ResultsIntervalMs / 10, 10, 100)));
        var keepAliveEvery = TimeSpan.FromSeconds(Math.Max(1, options.Value.KeepAliveSeconds));
        var lastKeepAlive = time.GetTimestamp();
        try
        {
            while (await tick.WaitForNextTickAsync(stoppingToken))
            {
                var keepAlive = time.GetElapsedTime(lastKeepAlive) >= keepAliveEvery;
                if (keepAlive) lastKeepAlive = time.GetTimestamp();
                foreach (var feed in _feeds.Values)
                {
                    if (keepAlive) feed.KeepAlive();
                    try
                    {
                        await feed.PumpAsync(stoppingToken);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        Log.LiveFailed(logger, e, feed.Episode.Value);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await watchdog;
        }
    }

    /// <summary>
    /// The send timeout: once a second, drop every connection whose send has taken longer. On its
    /// own timer, so a slow store read in the results pump never delays it.
    /// </summary>
    private async Task WatchSendsAsync(CancellationToken stoppingToken)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        var sendTimeout = (long)(options.Value.SendTimeoutSeconds * (double)time.TimestampFrequency);
        try
        {
            while (await tick.WaitForNextTickAsync(stoppingToken))
            {
                var startedBefore = time.GetTimestamp() - sendTimeout;
                foreach (var feed in _feeds.Values)
                {
                    try
                    {
                        feed.DropStalled(startedBefore);
                    }
                    catch (Exception e)
                    {
                        // One feed's failure must not end the send timeout for every other.
                        Log.LiveFailed(logger, e, feed.Episode.Value);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // Disposed twice (as the singleton and as its hosted service): each feed once.
    public override void Dispose()
    {
        foreach (var id in _feeds.Keys)
        {
            if (_feeds.TryRemove(id, out var feed)) feed.Dispose();
        }
        base.Dispose();
    }
}
