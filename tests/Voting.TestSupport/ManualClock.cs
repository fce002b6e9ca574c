namespace Voting.TestSupport;

/// <summary>A clock the test sets by hand, so window and day boundaries need no sleeping.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    /// <summary>How far every reading moves the clock on (zero: it stands still), to put time between two steps of one call.</summary>
    public TimeSpan StepPerReading { get; set; }

    public override DateTimeOffset GetUtcNow() =>
        new(Interlocked.Add(ref _ticks, StepPerReading.Ticks) - StepPerReading.Ticks, TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public void Set(DateTimeOffset moment) => Interlocked.Exchange(ref _ticks, moment.UtcTicks);
}
