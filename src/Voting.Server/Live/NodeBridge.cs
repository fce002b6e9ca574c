using Microsoft.Extensions.Options;
using Voting.Domain;
using Voting.Server.Infrastructure;
using Voting.Server.Show;
using Voting.Server.Voting;
using Voting.Storage;

namespace Voting.Server.Live;

/// <summary>
/// Several nodes: this node hears of show changes (sent by the store on commit of a transition)
/// and results changes made elsewhere, and tells the others when its vote writer commits, at
/// most every <see cref="LiveOptions.NotifyIntervalMs"/> per episode. After a lost link it
/// listens again and re-reads everything it watches, since notices sent meanwhile are gone.
/// A single node has no one to hear from or tell.
/// </summary>
public sealed class NodeBridge(INodeCoordination nodes, LiveHub hub, ShowClock clock, VoteWriter writer, TimeProvider time,
    IOptions<LiveOptions> options, ILogger<NodeBridge> logger) : BackgroundService
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, (long? LastSent, bool Scheduled)> _notify = [];
    private CancellationToken _stopping;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (nodes.IsSingleNode) return;
        _stopping = stoppingToken;
        writer.Committed += OnCommitted;
        var resync = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await nodes.ListenAsync(OnNotice, () =>
                    {
                        if (!resync) return;
                        hub.Resync();
                        clock.Rescan();
                    }, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.ListenLost(logger, e);
                    resync = true;
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            writer.Committed -= OnCommitted;
        }
    }

    private void OnNotice(NodeNotice notice)
    {
        if (notice.Kind == NodeNoticeKind.ShowChanged)
        {
            hub.ShowChanged(notice.Episode);
            clock.Rescan();
        }
        else hub.MarkDirty([notice.Episode]);
    }

    private void OnCommitted(IReadOnlyCollection<EpisodeId> episodes)
    {
        foreach (var episode in episodes)
        {
            TimeSpan delay;
            lock (_lock)
            {
                var (last, scheduled) = _notify.GetValueOrDefault(episode.Value);
                if (scheduled) continue;
                delay = last is { } sent ? TimeSpan.FromMilliseconds(options.Value.NotifyIntervalMs) - time.GetElapsedTime(sent) : TimeSpan.Zero;
                _notify[episode.Value] = (last, true);
            }
            _ = NotifyAsync(episode, delay);
        }
    }

    /// <summary>
    /// Sends one notice for every commit so far: taken off the schedule before it is sent, so a
    /// commit after this point schedules the next one and none is left without a notice.
    /// </summary>
    private async Task NotifyAsync(EpisodeId episode, TimeSpan delay)
    {
        try
        {
            if (delay > TimeSpan.Zero) await Task.Delay(delay, _stopping);
            lock (_lock) _notify[episode.Value] = (time.GetTimestamp(), false);
            await nodes.PublishAsync(new NodeNotice(NodeNoticeKind.ResultsChanged, episode), _stopping);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lock (_lock) _notify[episode.Value] = (time.GetTimestamp(), false);
            Log.LiveFailed(logger, e, episode.Value);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
