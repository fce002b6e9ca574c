using System.Collections.Concurrent;

namespace Voting.Server.Fraud;

/// <summary>
/// The history the rules need, kept in this process so that scoring never reads the ledger:
/// per voter (or, for texts, per number) the last attempts' times and the votes accepted in the
/// last minute; per episode and device id the distinct voters seen. With several nodes each node
/// sees only the votes it served (README, "Fraud").
/// </summary>
public sealed class FraudSignals
{
    public const int AttemptsKept = 16;
    private const long WindowMs = 60_000;
    /// <summary>Enough voters per device to tell "more than the limit"; a device past it is not tracked further.</summary>
    private const int DeviceVotersKept = 64;

    private readonly ConcurrentDictionary<long, History> _voters = new();
    private readonly ConcurrentDictionary<string, History> _numbers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(long Episode, string Device), Device> _devices = new();

    /// <summary>Records an attempt now; returns the votes accepted in the minute before it and the recent attempt times, oldest first.</summary>
    public (long RecentVotes, long[] AttemptTimesMs) Attempt(long voter, long nowMs) => Attempt(_voters.GetOrAdd(voter, _ => new History()), nowMs);

    public (long RecentVotes, long[] AttemptTimesMs) AttemptByNumber(string number, long nowMs) =>
        Attempt(_numbers.GetOrAdd(number, _ => new History()), nowMs);

    public void Accepted(long voter, long nowMs, int count) => _voters.GetOrAdd(voter, _ => new History()).Accept(nowMs, count);

    public void AcceptedByNumber(string number, long nowMs, int count) => _numbers.GetOrAdd(number, _ => new History()).Accept(nowMs, count);

    /// <summary>Distinct voters seen on the device in the episode, counting this voter.</summary>
    public int VotersOnDevice(long episode, string? device, long voter)
    {
        if (string.IsNullOrEmpty(device) || episode == 0) return 0;
        if (!_devices.TryGetValue((episode, device), out var d)) return 1;
        lock (d) return d.Voters.Count + (d.Voters.Contains(voter) ? 0 : 1);
    }

    public void DeviceUsed(long episode, string? device, long voter, long nowMs)
    {
        if (string.IsNullOrEmpty(device) || episode == 0) return;
        var d = _devices.GetOrAdd((episode, device), _ => new Device());
        lock (d)
        {
            d.LastSeenMs = nowMs;
            if (d.Voters.Count < DeviceVotersKept) d.Voters.Add(voter);
        }
    }

    /// <summary>Forgets voters idle for longer than <paramref name="idleMs"/> (their signals have expired) and devices idle for a day.</summary>
    public int Sweep(long nowMs, long idleMs)
    {
        var removed = 0;
        foreach (var (key, h) in _voters)
            if (h.IdleSince(nowMs) > idleMs && _voters.TryRemove(key, out _)) removed++;
        foreach (var (key, h) in _numbers)
            if (h.IdleSince(nowMs) > idleMs && _numbers.TryRemove(key, out _)) removed++;
        foreach (var (key, d) in _devices)
            if (nowMs - Volatile.Read(ref d.LastSeenMs) > 86_400_000 && _devices.TryRemove(key, out _)) removed++;
        return removed;
    }

    public int TrackedVoters => _voters.Count + _numbers.Count;

    private static (long, long[]) Attempt(History h, long nowMs)
    {
        lock (h) return h.Attempt(nowMs);
    }

    private sealed class Device
    {
        public readonly HashSet<long> Voters = [];
        public long LastSeenMs;
    }

    private sealed class History
    {
        private readonly long[] _attempts = new long[AttemptsKept];
        private int _count;
        private int _next;
        private readonly Queue<(long At, int Count)> _accepted = new();
        private long _recent;
        private long _lastSeen;

        public long IdleSince(long nowMs)
        {
            lock (this) return nowMs - _lastSeen;
        }

        public (long, long[]) Attempt(long nowMs)
        {
            _lastSeen = nowMs;
            _attempts[_next] = nowMs;
            _next = (_next + 1) % AttemptsKept;
            if (_count < AttemptsKept) _count++;
            var times = new long[_count];
            for (var i = 0; i < _count; i++) times[i] = _attempts[(_next - _count + i + AttemptsKept) % AttemptsKept];
            Expire(nowMs);
            return (_recent, times);
        }

        public void Accept(long nowMs, int count)
        {
            lock (this)
            {
                _lastSeen = nowMs;
                _accepted.Enqueue((nowMs, count));
                _recent += count;
                Expire(nowMs);
            }
        }

        /// <summary>Drops what fell out of the minute before now.</summary>
        private void Expire(long nowMs)
        {
            while (_accepted.TryPeek(out var a) && a.At <= nowMs - WindowMs)
            {
                _accepted.Dequeue();
                _recent -= a.Count;
            }
        }
    }
}
