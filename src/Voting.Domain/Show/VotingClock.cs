namespace Voting.Domain.Show;

/// <summary>The timed messages of an open window.</summary>
public enum TimerMessage
{
    /// <summary>Every 10 s while more than 10 s are left.</summary>
    TimeUpdate,
    /// <summary>Once, with 60 s left.</summary>
    Warning,
    /// <summary>Each second of the last 10: 10, 9, … 1.</summary>
    Countdown,
}

/// <summary>When an open window speaks: the cadence of TIME_UPDATE, WARNING and COUNTDOWN.</summary>
public static class VotingClock
{
    private static readonly TimerMessage[] None = [];
    private static readonly TimerMessage[] Update = [TimerMessage.TimeUpdate];
    private static readonly TimerMessage[] UpdateAndWarning = [TimerMessage.TimeUpdate, TimerMessage.Warning];
    private static readonly TimerMessage[] Countdown = [TimerMessage.Countdown];

    /// <summary>
    /// The messages due with <paramref name="secondsRemaining"/> whole seconds left: TIME_UPDATE at
    /// every multiple of 10 above 10 (and WARNING besides at 60), COUNTDOWN from 10 down to 1, nothing
    /// at 0 or between.
    /// </summary>
    public static IReadOnlyList<TimerMessage> MessagesAt(long secondsRemaining) => secondsRemaining switch
    {
        60 => UpdateAndWarning,
        > 10 when secondsRemaining % 10 == 0 => Update,
        >= 1 and <= 10 => Countdown,
        _ => None,
    };

    /// <summary>
    /// The next whole second left, below <paramref name="secondsRemaining"/>, at which a message is
    /// due; null when none is (the window is in its last second).
    /// </summary>
    public static long? NextBoundary(long secondsRemaining)
    {
        for (var k = secondsRemaining - 1; k >= 1; k--)
        {
            if (MessagesAt(k).Count > 0) return k;
        }
        return null;
    }

    /// <summary>
    /// Whole seconds left at <paramref name="now"/>, rounded to the nearest second: a timer that
    /// fires a few milliseconds early or late still names the boundary it was set for.
    /// </summary>
    public static long SecondsLeft(DateTimeOffset closesAt, DateTimeOffset now) =>
        (long)Math.Round((closesAt - now).TotalMilliseconds / 1000.0, MidpointRounding.AwayFromZero);
}
