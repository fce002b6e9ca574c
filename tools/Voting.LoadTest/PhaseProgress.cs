using Spectre.Console;

namespace Voting.LoadTest;

/// <summary>A progress bar for a setup phase, or a plain line every few seconds when output is redirected.</summary>
internal static class PhaseProgress
{
    public static async Task RunAsync(string title, int total, Func<ProgressCounter, Task> body)
    {
        var done = new ProgressCounter();
        if (Console.IsOutputRedirected)
        {
            Console.WriteLine($"{title}: 0/{total}");
            var run = body(done);
            while (await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(2))) != run)
                Console.WriteLine($"{title}: {done.Value}/{total}");
            await run;
            Console.WriteLine($"{title}: {done.Value}/{total}");
            return;
        }

        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: Math.Max(total, 1));
                var run = body(done);
                while (await Task.WhenAny(run, Task.Delay(TimeSpan.FromMilliseconds(200))) != run)
                    task.Value = done.Value;
                task.Value = done.Value;
                await run;
            });
    }
}

/// <summary>Items finished so far, bumped by the phase's workers and read by the display.</summary>
internal sealed class ProgressCounter
{
    private int _value;

    public int Value => Volatile.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);
}
