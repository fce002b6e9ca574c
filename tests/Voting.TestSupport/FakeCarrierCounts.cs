namespace Voting.TestSupport;

/// <summary>
/// A fake carrier's answers so far: per carrier and kind, the requests it accepted (200), each
/// idempotency key once, as a carrier that honours the key bills and sends it once; in all, the
/// accepted requests that repeated a key already accepted (the dispatcher sends at least once),
/// those refused for their credentials (401) and those failed on demand. Counters are lock-free;
/// the keys are one concurrent set, so counting costs a benchmark little.
/// </summary>
public sealed class FakeCarrierCounts
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _keys = new(StringComparer.Ordinal);
    private long _repeated;
    public static readonly IReadOnlyList<string> Carriers = ["smart", "cellcard", "metfone"];
    public static readonly IReadOnlyList<string> Kinds = ["sms", "charge", "refund"];

    private readonly long[] _accepted = new long[Carriers.Count * Kinds.Count];
    private long _unauthorized;
    private long _failed;
    private long _unknown;

    /// <param name="key">The request's Idempotency-Key header (empty: none, every such request counted).</param>
    public void Add(string carrier, string kind, int status, string key)
    {
        if (status == 401) Interlocked.Increment(ref _unauthorized);
        else if (status != 200) Interlocked.Increment(ref _failed);
        else if (key.Length > 0 && !_keys.TryAdd($"{carrier}/{kind}/{key}", 0)) Interlocked.Increment(ref _repeated);
        else if (Index(carrier, kind) is { } i) Interlocked.Increment(ref _accepted[i]);
        else Interlocked.Increment(ref _unknown);
    }

    /// <summary>Requests of <paramref name="kind"/> to <paramref name="carrier"/> answered 200, each idempotency key once.</summary>
    public long Accepted(string carrier, string kind) => Index(carrier, kind) is { } i ? Interlocked.Read(ref _accepted[i]) : 0;

    /// <summary>
    /// The counts as JSON-ready data: <c>{ "smart": { "sms": n, "charge": n, "refund": n }, ...,
    /// "repeated": n, "unauthorized": n, "failed": n, "unknown": n }</c> (repeated: accepted again under a key
    /// already accepted; unknown: accepted, but to a path no carrier API has).
    /// </summary>
    public Dictionary<string, object> Snapshot()
    {
        var snapshot = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var carrier in Carriers)
            snapshot[carrier] = Kinds.ToDictionary(k => k, k => Accepted(carrier, k), StringComparer.Ordinal);
        snapshot["repeated"] = Interlocked.Read(ref _repeated);
        snapshot["unauthorized"] = Interlocked.Read(ref _unauthorized);
        snapshot["failed"] = Interlocked.Read(ref _failed);
        snapshot["unknown"] = Interlocked.Read(ref _unknown);
        return snapshot;
    }

    private static int? Index(string carrier, string kind)
    {
        var c = IndexOf(Carriers, carrier);
        var k = IndexOf(Kinds, kind);
        return c < 0 || k < 0 ? null : (c * Kinds.Count) + k;
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return i;
        }
        return -1;
    }
}
