namespace Voting.Domain.Outbox;

/// <summary>When a failed delivery is tried again: exponential backoff with jitter.</summary>
public static class RetrySchedule
{
    /// <summary>
    /// The wait after failed attempt <paramref name="attempt"/> (1 for the first): <paramref name="first"/>
    /// doubled for each attempt before, capped at <paramref name="max"/>, then lengthened by up to half
    /// again by <paramref name="jitter"/> (0 to 1) and capped again. Waits never shrink from one attempt
    /// to the next, and jitter spreads the retries of many rows that failed together.
    /// </summary>
    public static TimeSpan Delay(int attempt, TimeSpan first, TimeSpan max, double jitter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var doublings = Math.Min(attempt - 1, 40);
        var ticks = Math.Min(first.Ticks * Math.Pow(2, doublings), max.Ticks);
        var spread = ticks * (1 + (0.5 * Math.Clamp(jitter, 0, 1)));
        return TimeSpan.FromTicks((long)Math.Min(spread, max.Ticks));
    }
}
