namespace Voting.Server.Live;

/// <summary>
/// Message sequence numbers: microseconds since the Unix epoch on the wall clock, and at least
/// one more than the episode's last. So seq grows per episode across restarts and across nodes
/// (whose clocks agree to far less than a reconnect takes) without a shared counter, and stays
/// below 2^53, exact in JavaScript. The wall clock, not the injected show clock: a test's
/// manual clock may stand still or go back, and seq must not.
/// </summary>
internal static class SeqClock
{
    /// <summary>A client may lift an episode's floor to what it saw, but no further than this ahead of the clock.</summary>
    private const long MaxAheadMicros = 60_000_000;

    public static long NowMicros() => (TimeProvider.System.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static long Next(long last) => Math.Max(last + 1, NowMicros());

    /// <summary>The floor after a reconnect that last saw <paramref name="lastSeen"/> (ignored when implausible).</summary>
    public static long Floor(long last, long? lastSeen) =>
        lastSeen is { } seen && seen > last && seen <= NowMicros() + MaxAheadMicros ? seen : last;
}
