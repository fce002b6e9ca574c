using System.Diagnostics;
using System.Net;

namespace Voting.LoadTest.Watchers;

/// <summary>
/// The <c>watchers</c> subcommand: W WebSocket watchers held by child processes while V votes/s
/// are cast; reports connections held, server memory, delivery delays and messages/s.
/// </summary>
internal static class WatchersCommand
{
    public static async Task<int> RunAsync(WatchOptions o, TimeProvider time, CancellationToken ct)
    {
        var v = o.Votes;
        Out.Line($"target {string.Join(", ", o.Urls)}: {o.Watchers:N0} watchers in {o.Processes} process(es), {o.VotesPerSecond:N0} votes/s "
            + $"from {v.Voters:N0} voters over {v.Connections} connections, {v.WarmupSeconds} s warm-up + {v.DurationSeconds} s");
        var pids = o.Urls.Select((url, k) => k < o.ServerPids.Count ? o.ServerPids[k] : ServerMemory.FindListener(url.Port)).ToList();
        for (var k = 0; k < pids.Count; k++)
        {
            if (pids[k] is null) Out.Warning($"no process found listening on port {o.Urls[k].Port}: its memory is not reported (use --server-pid)");
        }
        var memory = pids.Select(pid => new MemorySampler(pid)).ToList();
        try
        {
            return await RunAsync(o, memory, time, ct);
        }
        finally
        {
            foreach (var sampler in memory) await sampler.DisposeAsync();
        }
    }

    private static async Task<int> RunAsync(WatchOptions o, IReadOnlyList<MemorySampler> memory, TimeProvider time, CancellationToken ct)
    {
        var v = o.Votes;
        SetupResult setup;
        if (o.EpisodeId is { } watched)
        {
            setup = new SetupResult(watched, null, [], []);
        }
        else
        {
            var (ready, failed) = await VotesCommand.SetupAsync(v, ct);
            if (ready is null) return failed;
            setup = ready;
        }

        // After the voters' setup, so the memory the watchers add is not mixed with the sign-ins'.
        var idle = memory.Select(m => m.Now()).ToList();
        foreach (var (m, k) in memory.Select((m, k) => (m, k)).Where(x => x.m.Pid is not null))
            Out.Line($"server pid {m.Pid} ({o.Urls[k]}): {WatchReport.Mb(idle[k])} MB resident before the watchers");
        await using var children = WatcherChildren.Start(Plan(o, setup.EpisodeId));
        var rampSeconds = await RampAsync(children, o, ct);
        var connected = memory.Select(m => m.Now()).ToList();
        Out.Line($"{children.Connected:N0} of {o.Watchers:N0} watchers connected in {rampSeconds:F1} s ({children.Failed:N0} failed)"
            + (connected.All(c => c is null) ? "" : $"; servers {string.Join(" + ", connected.Select(WatchReport.Mb))} MB resident"));
        if (ct.IsCancellationRequested) return 130;
        if (children.Connected == 0)
        {
            var errors = (await children.StopAsync(TimeSpan.FromSeconds(30))).Select(c => c.Result).OfType<ChildResult>().SelectMany(r => r.ConnectErrors);
            Out.Error($"no watcher could connect to {string.Join(", ", o.Urls.Select(u => $"{u}ws/voting"))}: "
                + string.Join(", ", errors.GroupBy(e => e.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Sum(e => e.Value)}")));
            return 1;
        }

        foreach (var m in memory) m.Start();
        var from = time.GetUtcNow().AddSeconds(v.WarmupSeconds);
        var to = from.AddSeconds(v.DurationSeconds);
        await children.MeasureAsync(from, to);
        var status = new StatusLine(children);
        LoadResult? votes = null;
        if (o.VotesPerSecond > 0)
        {
            Out.Line($"casting {o.VotesPerSecond:N0} votes/s for episode {setup.EpisodeId}");
            votes = await new VoteLoad(v, setup, o.RequestsPerSecond, status.Next, o.Urls).RunAsync(ct);
        }
        else
        {
            await WatchOnlyAsync(to, time, status, ct);
        }
        // Deliveries up to the end of the window count: wait for it to pass.
        var left = to - time.GetUtcNow();
        if (left > TimeSpan.Zero && !ct.IsCancellationRequested) await Task.Delay(left, CancellationToken.None);
        var figures = memory.Select((m, k) => new MemoryFigures(m.Pid, idle[k], connected[k], m.Peak, m.Now())).ToList();

        var results = await children.StopAsync(TimeSpan.FromSeconds(60));
        var result = WatchResult.From(o, results, votes, figures, rampSeconds, ct.IsCancellationRequested);
        WatchReport.Print(result);
        if (v.JsonPath is { } path)
        {
            await WatchReport.WriteJsonAsync(result, path, CancellationToken.None);
            Out.Line($"figures written to {Path.GetFullPath(path)}");
        }
        return result.StoppedEarly ? 130 : results.Any(r => r.Result is null) ? 1 : 0;
    }

    /// <summary>
    /// Watchers spread evenly over the servers, and each server's over its processes; each
    /// process watches one server from its own loopback source address.
    /// </summary>
    internal static IEnumerable<ChildOptions> Plan(WatchOptions o, long episodeId)
    {
        var sources = o.Sources ?? o.Processes;
        var k = 0;
        for (var node = 0; node < o.Urls.Count; node++)
        {
            int watchers = o.WatchersOf(node), processes = o.ProcessesOf(node);
            for (var p = 0; p < processes; p++, k++)
            {
                var count = (watchers / processes) + (p < watchers % processes ? 1 : 0);
                var source = new IPAddress([127, 0, 0, (byte)(2 + (k % sources))]);
                yield return new ChildOptions(o.Urls[node], episodeId, count, source, o.ConnectParallelism, o.ConnectTimeoutSeconds);
            }
        }
    }

    /// <summary>Waits until every watcher connected or failed (or the ramp times out); returns the seconds it took.</summary>
    private static async Task<double> RampAsync(WatcherChildren children, WatchOptions o, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var lastLine = started;
        while (!ct.IsCancellationRequested)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            if (children.Connected + children.Failed >= o.Watchers) break;
            if (children.Exited == o.Processes) throw new InvalidOperationException("every watcher process exited while connecting");
            if (elapsed.TotalSeconds > o.RampTimeoutSeconds)
            {
                Out.Warning($"ramp-up timed out after {o.RampTimeoutSeconds} s; measuring with the watchers connected so far");
                break;
            }
            if (Stopwatch.GetElapsedTime(lastLine) >= TimeSpan.FromSeconds(2))
            {
                lastLine = Stopwatch.GetTimestamp();
                Out.Line($"{elapsed.TotalSeconds,5:F0}s connecting: {children.Connected:N0}/{o.Watchers:N0}, failed {children.Failed:N0}");
            }
            try
            {
                await Task.Delay(200, ct);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static async Task WatchOnlyAsync(DateTimeOffset to, TimeProvider time, StatusLine status, CancellationToken ct)
    {
        Out.Line("no votes (--votes-per-second 0): watching only");
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (time.GetUtcNow() < to && await timer.WaitForNextTickAsync(ct)) Out.Line(status.Next());
        }
        catch (OperationCanceledException)
        {
            // Stopped early: still reports.
        }
    }

    /// <summary>The watchers' part of each progress line: sockets held and messages/s since the last line.</summary>
    private sealed class StatusLine(WatcherChildren children)
    {
        private long _messages = children.Messages;
        private long _at = Stopwatch.GetTimestamp();

        public string Next()
        {
            var messages = children.Messages;
            var now = Stopwatch.GetTimestamp();
            var rate = (messages - _messages) * (double)Stopwatch.Frequency / Math.Max(1, now - _at);
            (_messages, _at) = (messages, now);
            return $"watchers {children.Connected - children.Dropped:N0} held, {children.Dropped:N0} dropped, {rate:N0} msgs/s";
        }
    }
}
