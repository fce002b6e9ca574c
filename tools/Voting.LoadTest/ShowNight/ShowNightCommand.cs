using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Voting.LoadTest.ShowNight;

/// <summary>
/// The <c>show-night</c> subcommand: a fresh episode, viewers signed in and paid for, a crowd of
/// watchers; the control room's signed signals run the show and open and close the window while
/// the viewers vote by app and SMS; then the ledger, the frozen results and what the watchers saw
/// are checked, and a report is written.
/// </summary>
internal static class ShowNightCommand
{
    public static async Task<int> RunAsync(ShowNightOptions o, TimeProvider time, CancellationToken ct)
    {
        var startedAt = time.GetUtcNow();
        Out.Line($"show night against {o.BaseUrl}: {o.Viewers:N0} viewers ({o.SmsViewers:N0} by SMS), {o.Watchers:N0} watchers, "
            + $"{o.WindowSeconds} s window, {o.Contestants} contestants, seed {o.Seed}");
        using var http = LoadHttp.CreateClient(o.BaseUrl, o.Connections + o.SetupParallelism + 8, o.TimeoutSeconds);
        var api = new ApiClient(http, o.AdminKey);
        var show = new ShowApi(http, o.AdminKey, o.SignalSecret, time);
        var setupClock = Stopwatch.StartNew();
        ShowSetup setup;
        try
        {
            setup = await ShowSetup.RunAsync(o, api, show, http, ct);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException or TaskCanceledException)
        {
            Out.Error($"setup failed: {ex.Message}");
            return 1;
        }
        var setupSeconds = setupClock.Elapsed.TotalSeconds;

        using var watchers = new ShowWatchers(o.BaseUrl, setup.Episode, o.Watchers, time);
        await watchers.ConnectAsync(TimeSpan.FromSeconds(30), ct);
        Out.Line($"{watchers.Open:N0} of {o.Watchers:N0} watchers connected to /ws/voting?episode_id={setup.Episode}");

        var crowd = new ShowCrowd(setup.Plan, setup.Voters, setup.Phones, setup.Contestants, o, http);
        var showClock = Stopwatch.StartNew();
        var signals = new List<SignalFigure>();
        var state = "IDLE";
        async Task Signal(string name, long? contestant = null, string? song = null, long? duration = null)
        {
            var answer = await show.SignalAsync(name, setup.Episode, CancellationToken.None, contestant, song, duration);
            signals.Add(new SignalFigure(name, answer.Status, answer.Ok ? null : answer.ErrorCode));
            if (answer.Data?["state"]?.GetValue<string>() is { } now) state = now;
            Out.Line($"{showClock.Elapsed.TotalSeconds,6:F1}s  signal {name}{(contestant is null ? "" : $" {contestant}")} → {answer.Status} {(answer.Ok ? state : answer.ErrorCode)}");
        }

        await Signal("SHOW_START");
        for (var i = 0; i < setup.Contestants.Count && !ct.IsCancellationRequested; i++)
        {
            await Signal("PERFORMANCE_START", setup.Contestants[i], $"Song {i + 1}");
            await Task.Delay(o.PerformanceMilliseconds, CancellationToken.None);
            await Signal("PERFORMANCE_END");
        }
        await Signal("VOTING_OPEN", duration: o.WindowSeconds + o.CloseMarginSeconds);
        var opened = Stopwatch.StartNew();
        var voting = crowd.RunAsync(ct);
        // One progress line a second, the last at the window's end. (A PeriodicTimer raced against the
        // window's end left a tick pending, and waiting for the next tick then threw.)
        var nextLine = TimeSpan.FromSeconds(1);
        while (opened.Elapsed < TimeSpan.FromSeconds(o.WindowSeconds) && !ct.IsCancellationRequested)
        {
            var until = nextLine < TimeSpan.FromSeconds(o.WindowSeconds) ? nextLine : TimeSpan.FromSeconds(o.WindowSeconds);
            var wait = until - opened.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait, CancellationToken.None);
            nextLine += TimeSpan.FromSeconds(1);
            Out.Line(Progress(opened.Elapsed, o.WindowSeconds, crowd, watchers));
        }
        await Signal("VOTING_CLOSE");
        await voting;
        Out.Line(Progress(opened.Elapsed, o.WindowSeconds, crowd, watchers) + "  (all answered)");

        var finalState = await WaitForResultsAsync(show, setup.Episode, o.ResultsTimeoutSeconds);
        Out.Line($"{showClock.Elapsed.TotalSeconds,6:F1}s  show state {finalState}");
        // RESULTS_READY is pushed as the state changes: give the watchers a moment to read it.
        var deadline = Stopwatch.StartNew();
        while (finalState is "RESULTS_READY" && deadline.Elapsed < TimeSpan.FromSeconds(10) && watchers.Logs.Any(l => l.Connected && !l.Dropped && l.FrozenDigest is null))
            await Task.Delay(100, CancellationToken.None);

        ServerFigures server;
        try
        {
            server = await ShowVerify.RunAsync(show, setup, crowd, o, finalState, CancellationToken.None);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException or TaskCanceledException)
        {
            Out.Error($"verification failed: {ex.Message}");
            server = new ServerFigures(finalState, -1, -1, false, false, null, -1, new Dictionary<string, long>(), 0, 0, 0, 0, -1, -1);
        }
        if (finalState == "RESULTS_READY") await Signal("SHOW_END");
        var showSeconds = showClock.Elapsed.TotalSeconds;
        await watchers.StopAsync();

        var figures = new ShowNightFigures(o.BaseUrl.ToString(), setup.Episode, o.Seed, o.WindowSeconds, o.Viewers, setup.Voters.Count, setup.Phones.Count,
            [.. Enum.GetValues<VoteKind>().Select(k => Kind(k, crowd.Figures.ByKind[k]))], signals,
            WatcherFigures.From(o.Watchers, watchers.Logs, watchers.Messages, watchers.CommitToReceipt, watchers.ConnectErrors),
            server, startedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), setupSeconds, showSeconds);
        var checks = ShowChecks.Evaluate(figures);
        var markdown = ShowReport.Markdown(figures, checks);
        Console.WriteLine();
        Console.Write(markdown);
        var dir = o.ReportDirectory ?? Path.Combine("artifacts", "show-night", startedAt.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "show-night.md"), markdown, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(dir, "show-night.json"), ShowReport.Json(figures, checks), CancellationToken.None);
        Out.Line($"report written to {Path.GetFullPath(dir)}");
        if (ct.IsCancellationRequested) return 130;
        return checks.All(c => c.Passed) ? 0 : 1;
    }

    private static KindFigures Kind(VoteKind kind, VoteFigures f) =>
        new(kind.ToString().ToLowerInvariant(), f.Requests, f.Acknowledged.Count, f.AcknowledgedVotes, f.UnknownVotes, f.Refused, f.Acknowledged);

    private static string Progress(TimeSpan elapsed, int window, ShowCrowd crowd, ShowWatchers watchers)
    {
        var f = crowd.Figures;
        return string.Create(CultureInfo.InvariantCulture,
            $"{elapsed.TotalSeconds,6:F1}s of {window}s  sent {crowd.Sent:N0}  acknowledged {f.AcknowledgedRequests:N0} ({f.AcknowledgedVotes:N0} votes)  "
            + $"refused {f.Refusals:N0}  watchers {watchers.Open:N0}  messages {watchers.Messages:N0}");
    }

    private static async Task<string?> WaitForResultsAsync(ShowApi show, long episode, int timeoutSeconds)
    {
        var clock = Stopwatch.StartNew();
        string? state = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(timeoutSeconds))
        {
            try
            {
                state = (await show.GetAsync($"api/v1/xfactor/show/{episode}", null, CancellationToken.None))["state"]?.GetValue<string>();
            }
            catch (Exception ex) when (ex is ApiException or HttpRequestException or TaskCanceledException)
            {
                state = null;
            }
            if (state is "RESULTS_READY" or "SHOW_ENDED") return state;
            await Task.Delay(250, CancellationToken.None);
        }
        return state;
    }
}

/// <summary>What the show needs before it starts: the episode, the plan, the signed-in and paid-for viewers, the texters' numbers.</summary>
internal sealed record ShowSetup(long Episode, IReadOnlyList<long> Contestants, ShowPlan Plan,
    IReadOnlyDictionary<int, Voter> Voters, IReadOnlyDictionary<int, string> Phones, string[] AppPhones)
{
    public static async Task<ShowSetup> RunAsync(ShowNightOptions o, ApiClient api, ShowApi show, HttpClient http, CancellationToken ct)
    {
        // Only one episode's voting is open at a time: a demo episode left open would refuse VOTING_OPEN.
        using (var current = await http.GetAsync("api/v1/xfactor/voting/current_episode", ct))
        {
            if (current.IsSuccessStatusCode)
            {
                var body = JsonNode.Parse(await current.Content.ReadAsStringAsync(ct));
                throw new ApiException($"episode {body?["data"]?["episode"]?["id"]} has its voting open; the show opens its own "
                    + "(start the server with --Demo:Enabled false, or close that window first)");
            }
        }
        var (episode, contestants) = await show.CreateEpisodeAsync(
            $"Show night {DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}", o.Contestants, ct);
        Out.Line($"episode {episode} with contestants {string.Join(", ", contestants)}");
        var plan = ShowPlan.Create(o.AppViewers, o.SmsViewers, o.PaidShare, o.BundleShare, o.Contestants, o.WindowSeconds, o.MaxRequestsPerViewer, o.Seed);
        Out.Line($"plan: {plan.Count(VoteKind.Free):N0} free, {plan.Count(VoteKind.Paid):N0} paid, {plan.Count(VoteKind.Bundle):N0} bundle, "
            + $"{plan.Count(VoteKind.Sms):N0} SMS viewers; {plan.Votes.Count:N0} requests, {plan.Votes.Sum(v => v.VoteCount):N0} votes");

        var phones = PhoneGenerator.Generate(o.Seed, o.AppViewers);
        var voters = new ConcurrentDictionary<int, Voter>();
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var bounded = new ParallelOptions { MaxDegreeOfParallelism = o.SetupParallelism, CancellationToken = ct };
        await PhaseProgress.RunAsync($"signing in {phones.Length:N0} viewers", phones.Length, async done =>
            await Parallel.ForEachAsync(Enumerable.Range(0, phones.Length), bounded, async (i, token) =>
            {
                try
                {
                    var t = await api.SignInAsync(phones[i], token);
                    voters[i] = new Voter(t.UserId, "Bearer " + t.AccessToken);
                }
                catch (Exception ex) when (ex is ApiException or HttpRequestException or TaskCanceledException { InnerException: TimeoutException })
                {
                    failures.AddOrUpdate(ex is ApiException a ? $"{a.Status} {a.Code}" : ex.GetType().Name, 1, (_, n) => n + 1);
                }
                done.Increment();
            }));
        var payers = voters.Keys.Where(i => plan.Kinds[i] is VoteKind.Paid or VoteKind.Bundle).ToArray();
        await PhaseProgress.RunAsync($"crediting {payers.Length:N0} paid viewers (bundles for some)", payers.Length, async done =>
            await Parallel.ForEachAsync(payers, bounded, async (i, token) =>
            {
                try
                {
                    var votes = plan.VotesOf(i);
                    if (plan.Kinds[i] == VoteKind.Bundle) await show.BundleAsync(voters[i].UserId, votes, token);
                    else await api.CreditAsync(voters[i].UserId, votes, token);
                }
                catch (Exception ex) when (ex is ApiException or HttpRequestException or TaskCanceledException { InnerException: TimeoutException })
                {
                    failures.AddOrUpdate("credit " + (ex is ApiException a ? $"{a.Status} {a.Code}" : ex.GetType().Name), 1, (_, n) => n + 1);
                    voters.TryRemove(i, out _);
                }
                done.Increment();
            }));
        foreach (var (what, n) in failures) Out.Warning($"setup failed for {n:N0} viewers: {what}");
        if (voters.IsEmpty) throw new ApiException("no viewer could be signed in");

        // Texters use Smart numbers none of the app viewers has, so each is a first-time texter.
        var taken = phones.ToHashSet(StringComparer.Ordinal);
        var texters = SmsCommand.Numbers(o.Seed ^ 0x5eed, (o.SmsViewers * 2) + 16).Where(n => !taken.Contains(n)).Take(o.SmsViewers).ToArray();
        var byViewer = texters.Select((n, i) => (Viewer: o.AppViewers + i, Number: n)).ToDictionary(x => x.Viewer, x => x.Number);
        return new ShowSetup(episode, contestants, plan, voters, byViewer, phones);
    }
}
