namespace Voting.TestSupport;

/// <summary>
/// A clock the test sets by hand, so window and day boundaries need no sleeping. With
/// <see cref="DrivesTimers"/>, timers made from it (CreateTimer, and so Task.Delay and
/// PeriodicTimer on it) fire only as <see cref="Advance"/> passes their due time, in due order,
/// with the clock standing at that time while each callback runs; without it they are real timers.
/// </summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private long _ticks = start.UtcTicks;

    /// <summary>How far every reading moves the clock on (zero: it stands still), to put time between two steps of one call.</summary>
    public TimeSpan StepPerReading { get; set; }

    /// <summary>Timers fire as the clock is advanced, not as real time passes.</summary>
    public bool DrivesTimers { get; init; }

    public override DateTimeOffset GetUtcNow() =>
        new(Interlocked.Add(ref _ticks, StepPerReading.Ticks) - StepPerReading.Ticks, TimeSpan.Zero);

    /// <summary>Moves the clock on, firing every driven timer that falls due on the way.</summary>
    public void Advance(TimeSpan by)
    {
        var target = Interlocked.Read(ref _ticks) + by.Ticks;
        while (true)
        {
            ManualTimer? due;
            lock (_lock)
            {
                due = _timers.Where(t => t.DueTicks <= target).MinBy(t => t.DueTicks);
                if (due is null) break;
                if (due.DueTicks > Interlocked.Read(ref _ticks)) Interlocked.Exchange(ref _ticks, due.DueTicks);
                if (due.PeriodTicks > 0) due.DueTicks += due.PeriodTicks;
                else _timers.Remove(due);
            }
            due.Fire();
        }
        if (target > Interlocked.Read(ref _ticks)) Interlocked.Exchange(ref _ticks, target);
    }

    public void Set(DateTimeOffset moment) => Interlocked.Exchange(ref _ticks, moment.UtcTicks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (!DrivesTimers) return base.CreateTimer(callback, state, dueTime, period);
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void Arm(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
            if (dueTime == Timeout.InfiniteTimeSpan || timer.Disposed) return;
            timer.PeriodTicks = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
            if (dueTime > TimeSpan.Zero)
            {
                timer.DueTicks = Interlocked.Read(ref _ticks) + dueTime.Ticks;
                _timers.Add(timer);
                return;
            }
            if (timer.PeriodTicks > 0)
            {
                timer.DueTicks = Interlocked.Read(ref _ticks) + timer.PeriodTicks;
                _timers.Add(timer);
            }
        }
        // Due now: like a real timer, fire soon on another thread, never inside Change.
        ThreadPool.QueueUserWorkItem(_ => timer.Fire());
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public long DueTicks { get; set; }
        public long PeriodTicks { get; set; }
        public bool Disposed { get; private set; }

        public void Fire()
        {
            if (!Disposed) callback(state);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (Disposed) return false;
            clock.Arm(this, dueTime, period);
            return true;
        }

        public void Dispose()
        {
            Disposed = true;
            clock.Arm(this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
