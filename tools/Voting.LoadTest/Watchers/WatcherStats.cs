using System.Collections.Concurrent;

namespace Voting.LoadTest.Watchers;

/// <summary>
/// A child's figures, written by all its sockets at once: counters by Interlocked, histograms
/// striped over a few locks so thousands of sockets rarely wait for each other.
/// </summary>
internal sealed class WatcherStats
{
    private const int Stripes = 16;
    private readonly LatencyHistogram[] _commit = [.. Enumerable.Range(0, Stripes).Select(_ => new LatencyHistogram())];
    private readonly LatencyHistogram[] _send = [.. Enumerable.Range(0, Stripes).Select(_ => new LatencyHistogram())];
    private readonly ConcurrentDictionary<string, long> _connectErrors = new(StringComparer.Ordinal);
    private int _connected, _failed, _dropped, _open;
    private long _messages, _measuredMessages, _measuredLive, _measuredBytes, _seqRegressions;
    // The measured window in unix microseconds; receipts outside it count only as traffic.
    private long _measureFrom = long.MaxValue, _measureTo = long.MinValue;

    public int Connected => Volatile.Read(ref _connected);
    public int Failed => Volatile.Read(ref _failed);
    public int Dropped => Volatile.Read(ref _dropped);
    public int Open => Volatile.Read(ref _open);
    public long Messages => Interlocked.Read(ref _messages);

    public void Measure(long fromUnixMs, long toUnixMs)
    {
        Interlocked.Exchange(ref _measureTo, toUnixMs * 1000);
        Interlocked.Exchange(ref _measureFrom, fromUnixMs * 1000);
    }

    public void RecordConnected()
    {
        Interlocked.Increment(ref _connected);
        Interlocked.Increment(ref _open);
    }

    public void RecordConnectFailure(string kind)
    {
        Interlocked.Increment(ref _failed);
        _connectErrors.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }

    /// <summary>The server closed or broke a socket the watcher did not ask to close.</summary>
    public void RecordDropped()
    {
        Interlocked.Increment(ref _dropped);
        Interlocked.Decrement(ref _open);
    }

    public void RecordClosed() => Interlocked.Decrement(ref _open);

    public void RecordSeqRegression() => Interlocked.Increment(ref _seqRegressions);

    /// <param name="commitDelay">Whether <see cref="PushMessage.AsOf"/> measures this delivery (not a connect snapshot).</param>
    public void RecordMessage(int socket, in PushMessage m, int bytes, DateTimeOffset received, bool commitDelay)
    {
        Interlocked.Increment(ref _messages);
        var at = (received.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;
        if (at < Interlocked.Read(ref _measureFrom) || at > Interlocked.Read(ref _measureTo)) return;

        Interlocked.Increment(ref _measuredMessages);
        Interlocked.Add(ref _measuredBytes, bytes);
        if (m.IsLiveResults) Interlocked.Increment(ref _measuredLive);
        var stripe = socket % Stripes;
        if (m.SentAt is { } sent)
        {
            var h = _send[stripe];
            lock (h) h.Record(Micros(received - sent));
        }
        if (commitDelay && m.IsLiveResults && m.AsOf is { } asOf)
        {
            var h = _commit[stripe];
            lock (h) h.Record(Micros(received - asOf));
        }
    }

    public ChildResult ToResult(int requested)
    {
        var commit = new LatencyHistogram();
        var send = new LatencyHistogram();
        for (var i = 0; i < Stripes; i++)
        {
            lock (_commit[i]) commit.Add(_commit[i]);
            lock (_send[i]) send.Add(_send[i]);
        }
        return new ChildResult("result", requested, Connected, Failed, Dropped, Open, Messages,
            Interlocked.Read(ref _measuredMessages), Interlocked.Read(ref _measuredLive), Interlocked.Read(ref _measuredBytes),
            Interlocked.Read(ref _seqRegressions), commit.ToData(), send.ToData(), _connectErrors.ToDictionary(StringComparer.Ordinal));
    }

    // Clocks of one machine: a delivery "before" its commit can only be rounding; it counts as 0.
    private static long Micros(TimeSpan delay) => Math.Max(0, delay.Ticks / TimeSpan.TicksPerMicrosecond);
}
