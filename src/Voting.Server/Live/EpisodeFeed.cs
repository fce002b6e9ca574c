using Voting.Domain;
using Voting.Server.Show;
using Voting.Storage;

namespace Voting.Server.Live;

/// <summary>
/// One episode's push channel on this node: its subscribers, the show and results it last saw,
/// and the clock of its open window. Store reads run one at a time (<see cref="_work"/>);
/// publishing holds <see cref="_lock"/> while it numbers a message and queues it to every
/// subscriber, so every connection receives messages in seq order.
/// </summary>
public sealed partial class EpisodeFeed : IDisposable
{
    private readonly IShowStore _store;
    private readonly ICatalogStore _catalog;
    private readonly TimeProvider _time;
    private readonly LiveOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _work = new(1, 1);
    private readonly HashSet<Subscriber> _subscribers = [];
    private readonly Dictionary<long, HashSet<Subscriber>> _byContestant = [];
    private long _lastSeq;
    private volatile bool _loaded;
    private ShowRecord? _show;
    private IReadOnlyList<LineupContestant> _lineup = [];
    private readonly Task _applying;

    public EpisodeFeed(EpisodeId episode, IShowStore store, ICatalogStore catalog, TimeProvider time, LiveOptions options, ILogger logger)
    {
        Episode = episode;
        _store = store;
        _catalog = catalog;
        _time = time;
        _options = options;
        _logger = logger;
        _timer = time.CreateTimer(_ => OnTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _applying = Task.Run(ApplyShowChangesAsync);
    }

    public EpisodeId Episode { get; }

    public int SubscriberCount
    {
        get
        {
            lock (_lock) return _subscribers.Count;
        }
    }

    /// <summary>Reads the show and a first results snapshot; false when the episode does not exist.</summary>
    public async Task<bool> EnsureLoadedAsync(CancellationToken ct)
    {
        if (_loaded) return true;
        await _work.WaitAsync(ct);
        try
        {
            if (_loaded) return true;
            var show = await _store.GetShowAsync(Episode, ct);
            if (show is null) return false;
            _lineup = await _catalog.GetLineupAsync(Episode, ct);
            lock (_lock)
            {
                _show = show;
                ArmWindowClock();
            }
            await BuildResultsAsync(publish: false, ct);
            if (show.Status.ResultsDigest is not null) await BuildFinalAsync(show, ct);
            _loaded = true;
            return true;
        }
        finally
        {
            _work.Release();
        }
    }

    /// <summary>
    /// Adds a connection and queues its opening messages: STATE_UPDATE, a LIVE_RESULTS snapshot,
    /// RESULTS_READY once the results are final, and on a contestant channel that contestant's
    /// latest vote_update and detailed_update. A reconnect's <paramref name="lastSeq"/> keeps
    /// its seq growing even if this node's clock lags the node it came from.
    /// </summary>
    public void Subscribe(Subscriber subscriber, long? lastSeq)
    {
        lock (_lock)
        {
            _lastSeq = SeqClock.Floor(_lastSeq, lastSeq);
            _subscribers.Add(subscriber);
            if (subscriber.Contestant is { } c)
            {
                if (!_byContestant.TryGetValue(c, out var set)) _byContestant[c] = set = [];
                set.Add(subscriber);
                if (!_details.ContainsKey(c)) _dirty = true;
            }
            OfferCurrent(subscriber);
        }
    }

    /// <summary>The seed's request_update: the opening messages again, through the connection's own queue.</summary>
    public void Refresh(Subscriber subscriber)
    {
        lock (_lock)
        {
            if (_subscribers.Contains(subscriber)) OfferCurrent(subscriber);
        }
    }

    private void OfferCurrent(Subscriber subscriber)
    {
        var now = _time.GetUtcNow();
        foreach (var message in Opening(now)) subscriber.Offer(message);
        if (subscriber.Contestant is { } contestant)
        {
            if (_voteUpdates.TryGetValue(contestant, out var update)) subscriber.Offer(Make(PushTypes.VoteUpdate, update, now));
            if (_details.TryGetValue(contestant, out var detail)) subscriber.Offer(Make(PushTypes.DetailedUpdate, detail, now));
        }
    }

    private (Broadcast[] Messages, long LastSeq, long Second) _opening;

    /// <summary>
    /// The opening messages, serialized once and shared by every connection that arrives before
    /// the next broadcast (and within the same second, for time_remaining): a crowd connecting at
    /// once costs one serialization, not one each (under _lock).
    /// </summary>
    private Broadcast[] Opening(DateTimeOffset now)
    {
        var second = now.ToUnixTimeSeconds();
        if (_opening.Messages is { } cached && _opening.LastSeq == _lastSeq && _opening.Second == second) return cached;
        var messages = new List<Broadcast> { Make(PushTypes.StateUpdate, ShowView.ToDto(_show!, now), now) };
        if (_results is { } results)
            messages.Add(Make(PushTypes.LiveResults, results with { TimeRemainingSeconds = ShowView.SecondsRemaining(_show!, now) }, now));
        if (_final is { } final) messages.Add(Make(PushTypes.ResultsReady, final, now));
        _opening = ([.. messages], _lastSeq, second);
        return _opening.Messages;
    }

    public void Unsubscribe(Subscriber subscriber)
    {
        lock (_lock)
        {
            _subscribers.Remove(subscriber);
            if (subscriber.Contestant is { } c && _byContestant.TryGetValue(c, out var set))
            {
                set.Remove(subscriber);
                if (set.Count == 0) _byContestant.Remove(c);
            }
        }
    }

    /// <summary>Whether a contestant is in the episode's line-up (as last read).</summary>
    public bool HasContestant(long contestant) => _lineup.Any(c => c.Id.Value == contestant);

    /// <summary>Ends every stream (server shutdown).</summary>
    public void CloseAll(StreamEnd why)
    {
        lock (_lock)
        {
            foreach (var s in _subscribers) s.Close(why);
        }
    }

    // Publishing (under _lock) ------------------------------------------------------------------

    private Broadcast Make<T>(string type, T data, DateTimeOffset now, string? replaceKey = null)
    {
        _lastSeq = SeqClock.Next(_lastSeq);
        return Broadcast.Create(type, _lastSeq, Episode.Value, now, data, replaceKey);
    }

    private void Publish(Broadcast message, IEnumerable<Subscriber>? to = null)
    {
        List<Subscriber>? slow = null;
        foreach (var s in to ?? _subscribers)
        {
            if (!s.Offer(message)) (slow ??= []).Add(s);
        }
        foreach (var s in slow ?? []) s.Close(StreamEnd.TooSlow);
    }

    /// <summary>Drops every connection whose current send started before <paramref name="startedBefore"/> (a timestamp), whatever else ended its stream.</summary>
    public void DropStalled(long startedBefore)
    {
        List<Subscriber>? stalled = null;
        lock (_lock)
        {
            foreach (var s in _subscribers)
            {
                if (s.SendStalled(startedBefore)) (stalled ??= []).Add(s);
            }
        }
        foreach (var s in stalled ?? []) s.DropStalled();
    }

    /// <summary>An SSE comment to every SSE stream, so idle proxies keep it open.</summary>
    public void KeepAlive()
    {
        lock (_lock) Publish(Broadcast.KeepAlive);
    }

    private int _disposedOnce;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposedOnce, 1) == 1) return;
        _timer.Dispose();
        _showChanges.Writer.TryComplete();
        _disposed.Cancel();
        _applying.Wait(TimeSpan.FromSeconds(5));
        _disposed.Dispose();
        _work.Dispose();
    }
}
