using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Voting.Domain;
using Voting.Domain.Show;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Show;

/// <summary>
/// The server's clock for voting windows. The node holding the clock lock (see
/// <see cref="INodeCoordination"/>; a single node always does) sets a timer on the injected TimeProvider for
/// each open window's stored end and closes it then, so voting closes on time with no signal
/// and resumes after a restart. Whoever closes a window also freezes its results
/// (RESULTS_READY); a scan finishes any close a crash left half done.
/// </summary>
public sealed class ShowClock : BackgroundService
{
    private readonly ShowService _shows;
    private readonly IShowStore _store;
    private readonly TimeProvider _time;
    private readonly INodeCoordination _nodes;
    private readonly ShowClockOptions _options;
    private readonly ILogger<ShowClock> _logger;
    private readonly Lock _lock = new();
    private readonly Dictionary<long, (ITimer Timer, DateTimeOffset End, long Since)> _closes = [];
    private long _scans;
    private readonly HashSet<long> _finishing = [];
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private volatile bool _leader;
    private CancellationToken _stopping;

    public ShowClock(ShowService shows, IShowStore store, TimeProvider time, INodeCoordination nodes, IOptions<ShowClockOptions> options,
        ILogger<ShowClock> logger)
    {
        _shows = shows;
        _store = store;
        _time = time;
        _nodes = nodes;
        _options = options.Value;
        _logger = logger;
        _leader = nodes.IsSingleNode;
        shows.Changed += OnChanged;
    }

    public bool IsLeader => _leader;

    /// <summary>Another node changed a show: look again now rather than at the next scan.</summary>
    public void Rescan() => _wake.Writer.TryWrite(true);

    /// <summary>The first look happens before the server listens: a restarted server's windows are timed before anyone asks.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await TickAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    private async Task TickAsync(CancellationToken ct)
    {
        try
        {
            var leader = await _nodes.TryHoldClockLockAsync(ct);
            if (leader != _leader) Log.ClockLeadership(_logger, leader ? "now runs" : "no longer runs");
            _leader = leader;
            if (leader) await ScanAsync(ct);
            else CancelAll();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.ClockFailed(_logger, e);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
                {
                    wait.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, _options.ScanSeconds)));
                    try
                    {
                        await _wake.Reader.ReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                    {
                    }
                }
                await TickAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            CancelAll();
            await _nodes.ReleaseClockLockAsync(CancellationToken.None);
        }
    }

    private async Task ScanAsync(CancellationToken ct)
    {
        long scan;
        lock (_lock) scan = ++_scans;
        var shows = await _store.GetShowsInAsync([ShowState.VotingOpen, ShowState.VotingClosed], ct);
        foreach (var show in shows) Track(show);
        lock (_lock)
        {
            // Timers set while this scan read are newer than what it read: keep them.
            foreach (var (gone, _) in _closes.Where(c => c.Value.Since < scan && !shows.Any(s => s.Episode.Value == c.Key && s.State == ShowState.VotingOpen)).ToList())
                Cancel(gone);
        }
    }

    private void OnChanged(ShowRecord show) => Track(show);

    private void Track(ShowRecord show)
    {
        if (show.State == ShowState.VotingOpen && _leader && show.Status.VotingEnd is { } end) Schedule(show.Episode, end);
        else lock (_lock) Cancel(show.Episode.Value);
        if (show.State == ShowState.VotingClosed) Finish(show.Episode);
    }

    private void Schedule(EpisodeId episode, DateTimeOffset end)
    {
        lock (_lock)
        {
            if (_closes.TryGetValue(episode.Value, out var set) && set.End == end) return;
            Cancel(episode.Value);
            var due = end - _time.GetUtcNow();
            var timer = _time.CreateTimer(_ => _ = CloseAsync(episode, end), null, due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            _closes[episode.Value] = (timer, end, _scans);
        }
    }

    private void Cancel(long episode)
    {
        if (_closes.Remove(episode, out var set)) set.Timer.Dispose();
    }

    private void CancelAll()
    {
        lock (_lock)
        {
            foreach (var e in _closes.Keys.ToList()) Cancel(e);
        }
    }

    private async Task CloseAsync(EpisodeId episode, DateTimeOffset end)
    {
        try
        {
            lock (_lock)
            {
                if (!_closes.TryGetValue(episode.Value, out var set) || set.End != end) return;
                _closes.Remove(episode.Value);
                set.Timer.Dispose();
            }
            if (!_leader) return;
            var actor = $"timer@{_shows.Node}";
            var change = await _shows.ChangeAsync(episode, new CloseVoting(CloseReason.Timer), actor, null, _stopping);
            if (change.Status == ShowChangeStatus.Applied) Log.ClosedOnTime(_logger, episode.Value, actor);
            else if (change.Refusal == ShowRefusal.NotDue) Schedule(episode, end);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.ClockFailed(_logger, e);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Finish(EpisodeId episode)
    {
        lock (_lock)
        {
            if (!_finishing.Add(episode.Value)) return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await _shows.FinishCloseAsync(episode, _stopping);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.ClockFailed(_logger, e);
            }
            catch (OperationCanceledException)
            {
            }
            finally
            {
                lock (_lock) _finishing.Remove(episode.Value);
            }
        });
    }
}
