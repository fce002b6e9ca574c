using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;

namespace Voting.LoadTest;

/// <summary>
/// The <c>sms</c> subcommand: C workers deliver texts to the Smart webhook as Smart would, each
/// signed with the shared secret, from distinct numbers in turn, for the warm-up and then the
/// measured duration. A text counts as committed when the webhook answers <c>processed</c>.
/// </summary>
internal static class SmsCommand
{
    // Smart's prefixes, so no text raises the carrier-mismatch signal.
    private static readonly string[] SmartPrefixes = ["10", "15", "16", "69", "70", "81", "86", "87", "93", "96"];

    public static async Task<int> RunAsync(SmsOptions options, CancellationToken ct)
    {
        Out.Line($"target {options.BaseUrl}, {options.Numbers:N0} numbers, {options.Connections} connections, "
            + $"{options.WarmupSeconds} s warm-up + {options.DurationSeconds} s, seed {options.Seed}");
        IReadOnlyList<int> ballots;
        try
        {
            ballots = options.Ballots ?? await BallotsAsync(options, ct);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException or TaskCanceledException { InnerException: TimeoutException })
        {
            Out.Error($"setup failed: {ex.Message}");
            return 1;
        }
        var numbers = Numbers(options.Seed, options.Numbers);
        Out.Line($"texting VOTE {string.Join("|", ballots)}{(options.VoteCount > 1 ? $" {options.VoteCount}" : "")} to POST /webhooks/sms/smart"
            + (ct.IsCancellationRequested ? "" : " (Ctrl+C stops early and still reports)"));

        var result = await new SmsLoad(options, numbers, ballots).RunAsync(ct);
        Report.Print(result);
        var perNumber = (double)result.Requests / options.Numbers * options.VoteCount
            * (options.WarmupSeconds + result.MeasuredSeconds) / Math.Max(result.MeasuredSeconds, 1);
        if (perNumber > 45)
            Out.Warning($"each number sent about {perNumber:N0} SMS votes; past 50 a day texts are refused (SMS_LIMIT_EXCEEDED): use more --numbers");
        if (options.JsonPath is { } path)
        {
            await Report.WriteJsonAsync(result, path, CancellationToken.None);
            Out.Line($"figures written to {Path.GetFullPath(path)}");
        }
        return result.StoppedEarly ? 130 : 0;
    }

    /// <summary>The ballot numbers of the open episode's contestants still in the running (current_episode is public).</summary>
    private static async Task<IReadOnlyList<int>> BallotsAsync(SmsOptions options, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = options.BaseUrl, Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };
        using var response = await http.GetAsync("api/v1/xfactor/voting/current_episode", ct);
        var envelope = await response.Content.ReadFromJsonAsync(LoadTestJson.Default.EnvelopeCurrentEpisodeData, ct);
        if (!response.IsSuccessStatusCode || envelope?.Data is not { Episode: { } episode, Contestants: { } contestants })
        {
            throw new ApiException($"current_episode: {(int)response.StatusCode} {envelope?.ErrorCode} "
                + "(open an episode's voting first: POST /api/v1/admin/episodes/{id}/voting/open)");
        }
        var ballots = contestants.Where(c => !string.Equals(c.Status, "eliminated", StringComparison.OrdinalIgnoreCase) && c.BallotNumber > 0)
            .Select(c => c.BallotNumber).ToList();
        if (ballots.Count == 0) throw new ApiException("the open episode has no contestant still in the running");
        Out.Line($"episode {episode.Id} '{episode.Title}', ballots {string.Join(", ", ballots)}");
        return ballots;
    }

    /// <summary>Distinct Smart numbers in the national form, the same ones for the same seed.</summary>
    public static string[] Numbers(int seed, int count)
    {
        var random = new Random(seed);
        var seen = new HashSet<string>(count, StringComparer.Ordinal);
        var numbers = new string[count];
        for (var n = 0; n < count;)
        {
            var number = string.Create(CultureInfo.InvariantCulture, $"0{SmartPrefixes[random.Next(SmartPrefixes.Length)]}{random.Next(10_000_000):D7}");
            if (seen.Add(number)) numbers[n++] = number;
        }
        return numbers;
    }
}

internal sealed class SmsLoad(SmsOptions options, string[] numbers, IReadOnlyList<int> ballots)
{
    public async Task<LoadResult> RunAsync(CancellationToken ct)
    {
        using var client = LoadHttp.CreateClient(options.BaseUrl, options.Connections, options.TimeoutSeconds);
        var start = Stopwatch.GetTimestamp();
        var shared = new SmsPlan(numbers, ballots, Encoding.UTF8.GetBytes(options.Secret), new Uri(options.BaseUrl, "webhooks/sms/smart"),
            options.VoteCount, "lt" + (start & 0xFFFFFFFFFFFF).ToString("x", CultureInfo.InvariantCulture))
        {
            Start = start,
            MeasureStart = start + (options.WarmupSeconds * Stopwatch.Frequency),
            End = start + ((long)(options.WarmupSeconds + options.DurationSeconds) * Stopwatch.Frequency),
        };
        // The live display reads only the time window and the population; it knows voters, here texters.
        var progressPlan = new LoadPlan
        {
            CastVoteUris = [shared.Uri],
            Bodies = [],
            Voters = [.. numbers.Select((n, i) => new Voter(i, n))],
            VoteCount = options.VoteCount,
            Seed = options.Seed,
            Start = shared.Start,
            MeasureStart = shared.MeasureStart,
            End = shared.End,
        };
        var progressOptions = new VoteOptions
        {
            Voters = numbers.Length,
            VoteCount = options.VoteCount,
            WarmupSeconds = options.WarmupSeconds,
            DurationSeconds = options.DurationSeconds,
            Credit = int.MaxValue,
        };

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stop.CancelAfter(TimeSpan.FromSeconds(options.WarmupSeconds + options.DurationSeconds + options.TimeoutSeconds + 5));
        var workers = Enumerable.Range(0, options.Connections).Select(i => new SmsWorker(i, shared, client, options.Seed)).ToArray();
        var progress = new LiveProgress(progressPlan, [.. workers.Select(w => w.Stats)], progressOptions);
        var done = Task.WhenAll(workers.Select(w => Task.Run(() => w.RunAsync(stop.Token), CancellationToken.None)));
        await progress.RunAsync(done);
        await done;
        var stopped = Stopwatch.GetTimestamp();

        var totals = WorkerTotals.Sum([.. workers.Select(w => w.Stats)]);
        return new LoadResult
        {
            Command = "sms",
            Url = shared.Uri,
            Connections = options.Connections,
            Voters = numbers.Length,
            VoteCount = options.VoteCount,
            Idempotency = false,
            WarmupSeconds = options.WarmupSeconds,
            PlannedSeconds = options.DurationSeconds,
            MeasuredSeconds = Math.Max(0, (double)(Math.Min(stopped, shared.End) - shared.MeasureStart) / Stopwatch.Frequency),
            StoppedEarly = ct.IsCancellationRequested,
            Requests = totals.Requests,
            Committed = totals.Committed,
            Answered = totals.Answered,
            Refusals = totals.Refusals,
            TransportErrors = totals.TransportErrors,
            WarmupRequestsPerSecond = progress.WarmupRequestsPerSecond,
            Warnings = [.. progress.Warnings],
        };
    }
}

/// <summary>What the SMS workers share: the numbers (taken in turn), the ballots, the signing key and the time window.</summary>
internal sealed class SmsPlan(string[] numbers, IReadOnlyList<int> ballots, byte[] secret, Uri uri, int voteCount, string idPrefix)
{
    private long _next = -1;

    public Uri Uri => uri;
    public IReadOnlyList<int> Ballots => ballots;
    public byte[] Secret => secret;
    public int VoteCount => voteCount;
    public string IdPrefix => idPrefix;
    public required long Start { get; init; }
    public required long MeasureStart { get; init; }
    public required long End { get; init; }

    /// <summary>Round-robin over the numbers across all workers, so each sends requests/N texts.</summary>
    public string NextNumber() => numbers[(int)((ulong)Interlocked.Increment(ref _next) % (ulong)numbers.Length)];
}
