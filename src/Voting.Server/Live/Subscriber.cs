using System.Threading.Channels;

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
/// </summary>
public sealed class Subscriber(long? contestant, int capacity, bool sse)
{
    private readonly Lock _lock = new();
    private readonly List<Broadcast> _queue = [];
    private readonly Channel<bool> _bell = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    private StreamEnd _end;

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
        }
        _bell.Writer.TryWrite(true);
        return true;
    }

    /// <summary>Cuts the connection of a client dropped as too slow (its writer may be stuck in a send).</summary>
    public Action? Abort { get; set; }

    /// <summary>Ends the stream (the first reason wins) and wakes the writer.</summary>
    public void Close(StreamEnd why)
    {
        bool first;
        lock (_lock)
        {
            first = _end == StreamEnd.None;
            if (first) _end = why;
        }
        _bell.Writer.TryWrite(true);
        if (first && why == StreamEnd.TooSlow) Abort?.Invoke();
    }

    /// <summary>Waits for messages; moves them into <paramref name="into"/>; returns how the stream ends, or None to go on.</summary>
    public async ValueTask<StreamEnd> TakeAsync(List<Broadcast> into, CancellationToken ct)
    {
        while (true)
        {
            lock (_lock)
            {
                if (_end != StreamEnd.None) return _end;
                if (_queue.Count > 0)
                {
                    into.AddRange(_queue);
                    _queue.Clear();
                    return StreamEnd.None;
                }
            }
            await _bell.Reader.ReadAsync(ct);
        }
    }
}
