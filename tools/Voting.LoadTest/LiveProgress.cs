using System.Diagnostics;
using Spectre.Console;

namespace Voting.LoadTest;

/// <summary>
/// Once a second: elapsed time, committed votes/s over that second, totals. At the end of the
/// warm-up it also estimates the request rate and warns when the voters cannot carry it.
/// </summary>
internal sealed class LiveProgress(LoadPlan plan, IReadOnlyList<WorkerStats> workers, VoteOptions options, Func<string>? status = null)
{
    private readonly List<string> _warnings = [];
    private long _previousTimestamp;
    private long _previousOk;
    private (long Timestamp, long Requests)? _warmupMiddle;

    public double? WarmupRequestsPerSecond { get; private set; }
    public IReadOnlyList<string> Warnings => _warnings;

    public Task RunAsync(Task workersDone)
    {
        _previousTimestamp = plan.Start;
        if (Out.Plain) return LoopAsync(workersDone, (line, _) => Console.WriteLine(line));

        var total = options.WarmupSeconds + options.DurationSeconds;
        return AnsiConsole.Progress()
            .AutoRefresh(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("starting", maxValue: total);
                await LoopAsync(workersDone, (line, elapsed) =>
                {
                    task.Description = Markup.Escape(line);
                    task.Value = Math.Min(elapsed, total);
                    ctx.Refresh();
                });
            });
    }

    private async Task LoopAsync(Task workersDone, Action<string, double> show)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (!workersDone.IsCompleted)
        {
            await Task.WhenAny(workersDone, timer.WaitForNextTickAsync().AsTask());
            var line = Tick(workersDone.IsCompleted, out var elapsed);
            show(status is null ? line : $"{line}  {status()}", elapsed);
        }
    }

    private string Tick(bool finished, out double elapsed)
    {
        long requests = 0, ok = 0, errors = 0;
        foreach (var w in workers)
        {
            requests += w.LiveRequests;
            ok += w.LiveOk;
            errors += w.LiveErrors;
        }
        var now = Stopwatch.GetTimestamp();
        elapsed = plan.SecondsSinceStart(now);
        var seconds = (double)(now - _previousTimestamp) / Stopwatch.Frequency;
        var votesPerSecond = seconds > 0 ? (ok - _previousOk) * options.VoteCount / seconds : 0;
        _previousTimestamp = now;
        _previousOk = ok;

        EstimateRate(now, elapsed, requests);
        // The last tick comes when the workers end, a fraction of a second in: a rate over it says nothing.
        if (finished) return $"{elapsed,5:F0}s done    ok {ok:N0}  errors {errors:N0}";
        var phase = now < plan.MeasureStart ? "warm-up" : "measure";
        return $"{elapsed,5:F0}s {phase,-7} {votesPerSecond,9:N0} votes/s  ok {ok:N0}  errors {errors:N0}";
    }

    // The second half of the warm-up, once connections are open, predicts the measured rate.
    private void EstimateRate(long now, double elapsed, long requests)
    {
        if (WarmupRequestsPerSecond is not null) return;
        if (_warmupMiddle is null && elapsed >= options.WarmupSeconds / 2.0) _warmupMiddle = (now, requests);
        if (now < plan.MeasureStart || _warmupMiddle is not { } middle || now == middle.Timestamp) return;

        WarmupRequestsPerSecond = (requests - middle.Requests) * (double)Stopwatch.Frequency / (now - middle.Timestamp);
        foreach (var warning in VoterBudget.Check(WarmupRequestsPerSecond.Value, plan.Voters.Count, options))
        {
            _warnings.Add(warning);
            Out.Warning(warning);
        }
    }
}
