using System.Threading.Tasks.Sources;

namespace Voting.Server.Live;

/// <summary>Why a subscriber's stream ends.</summary>
public enum StreamEnd
{
    /// <summary>Still running.</summary>
    None,
    /// <summary>The client went away or closed.</summary>
    ClientGone,
    /// <summary>The server is stopping: close cleanly.</summary>
    Shutdown,
    /// <summary>The client could not keep up: drop it.</summary>
    TooSlow,
}

/// <summary>
/// One connection's outgoing queue, bounded: a newer snapshot replaces an unsent one of the same
/// kind, so a slow reader holds at most one LIVE_RESULTS; a queue that still overflows marks the
/// client too slow. Publishers never wait on a connection; its one writer loop drains the queue.
/// The writer waits on the subscriber itself (a reusable value-task source, not a channel), and a
/// send in progress is stamped so the hub's once-a-second watchdog can drop a connection whose
/// send has stalled (not a timer per connection): a node holds tens of thousands of these.
/// </summary>
public sealed class Subscriber(long? contestant, int capacity, bool sse) : IValueTaskSource
{
    private readonly Lock _lock = new();
    private readonly List<Broadcast> _queue = [];
    private ManualResetValueTaskSourceCore<bool> _wake = new() { RunContinuationsAsynchronously = true };
    private bool _waiting;
    private StreamEnd _end;
    private long _sendingSince;

    /// <summary>The contestant channel this connection asked for, if any.</summary>
    public long? Contestant { get; } = contestant;

    public bool IsSse { get; } = sse;

    public StreamEnd End
    {
        get
        {
            lock (_lock) return _end;
        }
    }

    /// <summary>Queues a message; false when the queue is full (the caller drops the client).</summary>
    public bool Offer(Broadcast message)
    {
        if (message.SseOnly && !IsSse) return true;
        bool wake;
        lock (_lock)
        {
            if (_end != StreamEnd.None) return true;
            if (message.ReplaceKey is { } key)
            {
                var i = _queue.FindIndex(m => m.ReplaceKey == key);
                if (i >= 0) _queue.RemoveAt(i);
            }
            if (_queue.Count >= capacity) return false;
            _queue.Add(message);
            wake = TakeWaiter();
        }
        if (wake) _wake.SetResult(true);
        return true;
    }

    /// <summary>Cuts the connection of a client dropped as too slow (its writer may be stuck in a send).</summary>
    public Action? Abort { get; set; }

    private readonly Lock _abortLock = new();
    private bool _detached;

    /// <summary>
    /// The stream's request is over: its connection is never cut from here again (an SSE
    /// connection may carry the client's next request by then). Waits for an abort in progress.
    /// </summary>
    public void Detach()
    {
        lock (_abortLock) _detached = true;
    }

    // Under its own lock, not _lock: aborting runs the request's abort callbacks, which close the
    // subscriber (taking _lock) on this thread.
    private void AbortConnection()
    {
        lock (_abortLock)
        {
            if (!_detached) Abort?.Invoke();
        }
    }

    /// <summary>Ends the stream (the first reason wins) and wakes the writer.</summary>
    public void Close(StreamEnd why)
    {
        bool first, wake;
        lock (_lock)
        {
            first = _end == StreamEnd.None;
            if (first) _end = why;
            wake = TakeWaiter();
        }
        if (wake) _wake.SetResult(true);
        if (first && why == StreamEnd.TooSlow) AbortConnection();
    }

    /// <summary>
    /// Drops a client whose send has stalled: ends the stream as too slow unless it ended already,
    /// and cuts the connection either way. A stream that ended for another reason (the client's
    /// close frame, the server stopping) while its writer was stuck in a send is cut too: only
    /// that frees the writer. (A send that finished just before this may lose its clean close
    /// handshake: it was past the send timeout anyway.)
    /// </summary>
    public void DropStalled()
    {
        Close(StreamEnd.TooSlow);
        if (End != StreamEnd.TooSlow) AbortConnection();
    }

    /// <summary>Moves the queued messages into <paramref name="into"/>; how the stream ends, None to go on, or null when there is nothing yet.</summary>
    public StreamEnd? TryTake(List<Broadcast> into)
    {
        lock (_lock)
        {
            if (_end != StreamEnd.None) return _end;
            if (_queue.Count == 0) return null;
            into.AddRange(_queue);
            _queue.Clear();
            return StreamEnd.None;
        }
    }

    /// <summary>Completes when a message is queued or the stream ends (at once if either happened already). One writer waits at a time.</summary>
    public ValueTask WaitAsync()
    {
        lock (_lock)
        {
            if (_end != StreamEnd.None || _queue.Count > 0) return ValueTask.CompletedTask;
            _wake.Reset();
            _waiting = true;
            return new ValueTask(this, _wake.Version);
        }
    }

    /// <summary>Under the lock: whether the writer is waiting (it is then woken, once).</summary>
    private bool TakeWaiter()
    {
        var waiting = _waiting;
        _waiting = false;
        return waiting;
    }

    /// <summary>The writer starts a send at <paramref name="timestamp"/> (a TimeProvider timestamp), or has finished it (0).</summary>
    public void Sending(long timestamp) => Volatile.Write(ref _sendingSince, timestamp == 0 ? 0 : Math.Max(1, timestamp));

    /// <summary>Whether a send started before <paramref name="startedBefore"/> is still in progress.</summary>
    public bool SendStalled(long startedBefore) => Volatile.Read(ref _sendingSince) is var since && since != 0 && since < startedBefore;

    void IValueTaskSource.GetResult(short token) => _wake.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _wake.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _wake.OnCompleted(continuation, state, token, flags);
}
