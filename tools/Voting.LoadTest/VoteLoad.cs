using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Voting.LoadTest;

/// <summary>
/// Casts paid votes from C workers for the warm-up and then the measured duration: as fast as
/// answers come back, or at <paramref name="requestsPerSecond"/>. <paramref name="status"/> adds
/// to each progress line. With several <paramref name="targets"/> (servers of one database) the
/// workers and the rate are shared out evenly over them; by default the one server is
/// <see cref="VoteOptions.BaseUrl"/>.
/// </summary>
internal sealed class VoteLoad(VoteOptions options, SetupResult setup, double? requestsPerSecond = null, Func<string>? status = null,
    IReadOnlyList<Uri>? targets = null)
{
    public async Task<LoadResult> RunAsync(CancellationToken ct)
    {
        using var client = LoadHttp.CreateClient(options.BaseUrl, options.Connections, options.TimeoutSeconds);

        var start = Stopwatch.GetTimestamp();
        var plan = new LoadPlan
        {
            CastVoteUris = [.. (targets ?? [options.BaseUrl]).Select(t => new Uri(t, "api/v1/xfactor/voting/cast_vote"))],
            Bodies = [.. setup.ContestantIds.Select(id => JsonSerializer.SerializeToUtf8Bytes(
                new CastVoteRequest(id, "paid", options.VoteCount), LoadTestJson.Default.CastVoteRequest))],
            Voters = setup.Voters,
            VoteCount = options.VoteCount,
            Seed = options.Seed,
            IdempotencyPrefix = options.Idempotency
                ? "lt" + (start & 0xFFFFFFFFFFFF).ToString("x", CultureInfo.InvariantCulture) : null,
            RequestsPerSecond = requestsPerSecond,
            Start = start,
            MeasureStart = start + (options.WarmupSeconds * Stopwatch.Frequency),
            End = start + ((long)(options.WarmupSeconds + options.DurationSeconds) * Stopwatch.Frequency),
        };

        // The loops stop themselves at End; this only bounds a request stuck past it.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(TimeSpan.FromSeconds(options.WarmupSeconds + options.DurationSeconds + options.TimeoutSeconds + 5));

        var workers = Enumerable.Range(0, options.Connections).Select(i => new VoteWorker(i, plan, client)).ToArray();
        var progress = new LiveProgress(plan, [.. workers.Select(w => w.Stats)], options, status);
        var done = Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(stop.Token), CancellationToken.None)));
        await progress.RunAsync(done);
        await done;
        var stopped = Stopwatch.GetTimestamp();

        return Merge(plan, workers, progress, stopped, ct.IsCancellationRequested);
    }

    private LoadResult Merge(LoadPlan plan, VoteWorker[] workers, LiveProgress progress, long stopped, bool stoppedEarly)
    {
        var totals = WorkerTotals.Sum([.. workers.Select(w => w.Stats)]);
        var byTarget = plan.CastVoteUris.Select((_, t) => workers.Where(w => w.Target == t).Sum(w => w.Stats.Committed.Count) * options.VoteCount);

        // Requests still in flight at End are counted, so the window is the planned one unless stopped early.
        var measuredTicks = Math.Min(stopped, plan.End) - plan.MeasureStart;
        return new LoadResult
        {
            Url = options.BaseUrl,
            Connections = options.Connections,
            Voters = setup.Voters.Count,
            VoteCount = options.VoteCount,
            Idempotency = options.Idempotency,
            WarmupSeconds = options.WarmupSeconds,
            PlannedSeconds = options.DurationSeconds,
            MeasuredSeconds = Math.Max(0, (double)measuredTicks / Stopwatch.Frequency),
            StoppedEarly = stoppedEarly,
            Requests = totals.Requests,
            Committed = totals.Committed,
            Answered = totals.Answered,
            Refusals = totals.Refusals,
            TransportErrors = totals.TransportErrors,
            WarmupRequestsPerSecond = progress.WarmupRequestsPerSecond,
            Warnings = [.. progress.Warnings],
            CommittedVotesByTarget = [.. byTarget],
        };
    }
}
