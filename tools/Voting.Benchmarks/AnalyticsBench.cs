using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Voting.Domain;
using Voting.Domain.Profile;
using Voting.Domain.Voting;
using Voting.Server.Analytics;
using Voting.Storage;

/// <summary>
/// Fills one episode with N votes straight through the store (no HTTP), from voters with profiles
/// (provinces, genders, ages; four in five created before voting opened) over a two-hour voting
/// window, then times the analytics report: the store's read of its counters, the report's maths and
/// its JSON. Votes: each voter's 5 free votes first, then paid votes (1-20 a row) and, for one voter
/// in ten, app SMS votes (within the daily limit). A manual clock stamps each batch at its share of
/// the window, so the per-minute and per-hour counters look like a show night. Fixed seed.
/// </summary>
internal static class AnalyticsBench
{
    private static readonly DateTimeOffset WindowStart = new(2026, 1, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromHours(2);
    private static readonly double[] ContestantWeights = [0.30, 0.25, 0.20, 0.15, 0.10];
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task RunAsync(string[] args)
    {
        var provider = args.Length > 0 ? args[0] : "sqlite";
        var rest = args.Skip(1).ToArray();
        if (provider == "sqlite" && rest.Length == 2 && rest[0] == "--reuse")
        {
            await TimeAgainAsync(rest[1]);
            return;
        }
        string connection;
        if (provider == "postgres")
        {
            connection = rest[0];
            rest = rest[1..];
        }
        else
        {
            var dir = Path.Combine(Path.GetTempPath(), "xfactor-analytics-" + Guid.NewGuid().ToString("N"));
            connection = $"Data Source={Path.Combine(dir, "voting.db")}";
            Console.WriteLine($"sqlite file: {Path.Combine(dir, "voting.db")}");
        }
        var target = rest.Length > 0 ? long.Parse(rest[0], CultureInfo.InvariantCulture) : 100_000;
        var voterCount = rest.Length > 1 ? int.Parse(rest[1], CultureInfo.InvariantCulture) : (int)Math.Max(10, target / 20);
        const int batchSize = 1000;

        var clock = new BenchClock(WindowStart.AddDays(-30));
        await using var store = StoreFactory.Create(new StorageOptions { Provider = provider, ConnectionString = connection }, clock);
        await store.MigrateAsync(default);
        var random = new Random(42);

        var season = await store.CreateSeasonAsync("Analytics bench", 2026, "active", default);
        var episode = new EpisodeId((await store.CreateEpisodeAsync(new NewEpisode(season, Random.Shared.Next(1, int.MaxValue), "Analytics bench", null, null), default)).Id);
        var contestants = new List<ContestantId>();
        for (var i = 1; i <= ContestantWeights.Length; i++)
        {
            var c = new ContestantId(await store.CreateContestantAsync(new NewContestant($"Contestant {i}", null, null, null, null, null), default));
            await store.AddToLineupAsync(episode, c, i, null, default);
            contestants.Add(c);
        }

        var sw = Stopwatch.StartNew();
        var voters = new VoterId[voterCount];
        var profiles = Enumerable.Range(0, voterCount).Select(_ => Profile(random)).ToArray();
        var phoneBase = Random.Shared.Next(0, 80_000_000);
        var made = 0;
        // Four in five voters are returning (created a month before); the rest sign up as voting opens:
        // the returning ones first, then the clock moves to the opening for the new ones.
        foreach (var returning in new[] { true, false })
        {
            clock.Now = returning ? WindowStart.AddDays(-30) : WindowStart.AddSeconds(1);
            var mine = Enumerable.Range(0, voterCount).Where(i => (i % 5 != 4) == returning);
            await Parallel.ForEachAsync(mine, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            {
                var phone = "09" + (10_000_000 + (phoneBase + i) % 90_000_000).ToString(CultureInfo.InvariantCulture);
                await store.IssueCodeAsync(new NewOneTimeCode(phone, "h", TimeSpan.FromMinutes(5), 100, "x"), ct);
                var voter = (await store.VerifyCodeAsync(phone, "h", 5, ct)).Voter;
                await store.CreditVotesAsync(voter, 1_000_000, "bench", null, null, ct);
                await store.UpdateProfileAsync(voter, profiles[i], ct);
                voters[i] = voter;
                if (Interlocked.Increment(ref made) % 10_000 == 0) Console.WriteLine($"  {made} voters ({sw.Elapsed.TotalSeconds:F0} s)");
            });
        }
        Console.WriteLine($"{provider}: {voterCount} voters with profiles in {sw.Elapsed.TotalSeconds:F1} s");

        clock.Now = WindowStart;
        var open = await store.OpenVotingAsync(episode, Window, default);
        if (open.Status != WindowStatus.Ok) throw new InvalidOperationException($"could not open voting: {open.Status} (another episode open?)");

        var freeUsed = new int[voterCount];
        var smsUsed = new int[voterCount];
        long votes = 0, rows = 0, refused = 0;
        sw.Restart();
        while (votes < target)
        {
            // Stamp the batch at its share of the window (leaving the last 2 % for the read).
            clock.Now = WindowStart + Window * (0.98 * votes / target);
            var batch = new List<VoteCommand>(batchSize);
            var planned = 0L;
            while (batch.Count < batchSize && votes + planned < target)
            {
                var v = random.Next(voterCount);
                var (type, count) = freeUsed[v] < VoteRules.FreeVotesPerEpisode ? (VoteType.Free, 1)
                    : v % 10 == 0 && smsUsed[v] + 3 <= VoteRules.SmsVotesPerDay ? (VoteType.Sms, 3)
                    : (VoteType.Paid, random.Next(1, 21));
                if (type == VoteType.Free) freeUsed[v]++;
                if (type == VoteType.Sms) smsUsed[v] += count;
                count = (int)Math.Min(count, target - votes - planned);
                batch.Add(new VoteCommand(voters[v], episode, new VoteRequest(Pick(random, contestants), type, count), null, "bench",
                    new ClientInfo("127.0.0.1", "bench", null, null)));
                planned += count;
            }
            var outcomes = await store.CommitVotesAsync(batch, default);
            for (var i = 0; i < batch.Count; i++)
            {
                if (outcomes[i] is VoteAccepted) { votes += batch[i].Request.Count; rows++; }
                else refused++;
            }
            if (refused > batchSize * 10L) throw new InvalidOperationException($"too many refusals ({refused}): {outcomes.First(o => o is not VoteAccepted)}");
            if (rows % 100_000 < batch.Count) Console.WriteLine($"  {votes} votes in {rows} rows ({sw.Elapsed.TotalSeconds:F0} s)");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{provider}: {votes} votes in {rows} rows ({refused} refused) committed in {sw.Elapsed.TotalSeconds:F1} s"));

        clock.Now = WindowStart + Window * 0.99;
        await TimeReportAsync(store, episode, clock);
    }

    /// <summary>
    /// Times the report again on a database an earlier run filled (its file name was printed), after
    /// bringing it to this build's schema: how an upgraded database answers, without filling it again.
    /// </summary>
    private static async Task TimeAgainAsync(string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException("no such database", file);
        var clock = new BenchClock(WindowStart + Window * 0.99);
        await using var store = StoreFactory.Create(new StorageOptions { Provider = "sqlite", ConnectionString = $"Data Source={file}" }, clock);
        var t = Stopwatch.GetTimestamp();
        await store.MigrateAsync(default);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sqlite: {file} migrated in {Stopwatch.GetElapsedTime(t).TotalSeconds:F1} s"));
        var episodes = await store.ListEpisodesAsync(null, default);
        var episode = episodes.Where(e => e.Title == "Analytics bench").MaxBy(e => e.Id.Value) ?? throw new InvalidOperationException("no bench episode in the file");
        await TimeReportAsync(store, episode.Id, clock);
    }

    private static async Task TimeReportAsync(IVotingStore store, EpisodeId episode, TimeProvider clock)
    {
        for (var run = 1; run <= 3; run++)
        {
            var t = Stopwatch.GetTimestamp();
            var data = await store.GetAnalyticsAsync(episode, default) ?? throw new InvalidOperationException("episode not found");
            var read = Stopwatch.GetElapsedTime(t);
            var report = AnalyticsReport.Build(data, await store.GetLineupAsync(episode, default), clock.GetUtcNow());
            var json = JsonSerializer.SerializeToUtf8Bytes(report, Json);
            var total = Stopwatch.GetElapsedTime(t);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"analytics run {run}: {total.TotalMilliseconds:F0} ms (store read {read.TotalMilliseconds:F0} ms), {json.Length} bytes; " +
                $"total_votes {report.Summary.TotalVotes}, unique_voters {report.Summary.UniqueVoters}, predictions {(report.Predictions is null ? "none" : "yes")}"));
        }
        var audit = await store.AuditEpisodeAsync(episode, default);
        Console.WriteLine($"audit consistent: {audit.Consistent} (analytics counters {audit.AnalyticsConsistent}), ledger votes {audit.LedgerVotes}");
    }

    private static ProfileChange Profile(Random random)
    {
        // One voter in ten leaves the profile empty (counted under "unknown").
        if (random.Next(10) == 0) return new ProfileChange();
        var born = new DateOnly(1960, 1, 1).AddDays(random.Next(0, 365 * 50));
        return new ProfileChange(Province: Provinces.All[random.Next(Provinces.All.Count)], Gender: VoterProfileRules.Genders[random.Next(3)],
            DateOfBirth: born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private static ContestantId Pick(Random random, List<ContestantId> contestants)
    {
        var x = random.NextDouble();
        for (var i = 0; i < ContestantWeights.Length; i++)
        {
            if ((x -= ContestantWeights[i]) < 0) return contestants[i];
        }
        return contestants[^1];
    }

    /// <summary>A clock the bench sets: every vote of a batch is stamped with its time.</summary>
    private sealed class BenchClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
