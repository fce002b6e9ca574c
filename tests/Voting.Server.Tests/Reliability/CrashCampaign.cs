using System.Globalization;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Reliability;

/// <summary>One round of the campaign: what the load got, how the check went.</summary>
public sealed record RoundFigures(int Round, int Votes, int Texts, int Credits, int Purchases, int Unsettled, CheckFigures Check, TimeSpan Load);

/// <summary>
/// The crash campaign: on one database, round after round, a server process takes mixed load and
/// is SIGKILLed at a random moment; the next round's server starts on the same database and
/// first checks every promise (see <see cref="LedgerChecks"/>) before taking load again.
/// Rounds come from XFACTOR_CAMPAIGN_ROUNDS (scripts/crash-campaign.sh runs 100); each round's
/// figures are appended to XFACTOR_CAMPAIGN_REPORT when set.
/// </summary>
public static class CrashCampaign
{
    private static readonly Lock ReportLock = new();

    public static int Rounds(int defaultRounds) =>
        int.TryParse(Environment.GetEnvironmentVariable("XFACTOR_CAMPAIGN_ROUNDS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : defaultRounds;

    public static Dictionary<string, string> Settings() => new()
    {
        ["Voting__VoteRequestsPerMinute"] = "1000000",
        ["Sms__Smart__Secret"] = FakeCarrier.SmartSecret,
        ["Sms__Cellcard__ApiToken"] = FakeCarrier.CellcardToken,
        ["Sms__Metfone__ApiKey"] = FakeCarrier.MetfoneKey,
    };

    public static async Task<IReadOnlyList<RoundFigures>> RunAsync(StoreKind kind, int rounds, int seed, Action<string> log)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var settings = Settings();
        var rng = new Random(seed);
        var server = await ServerProcess.StartAsync(db, settings);
        var figures = new List<RoundFigures>();
        try
        {
            var episode = await server.Api.OpenEpisodeAsync(contestants: 4, durationSeconds: 6 * 3600);
            var package = await server.Api.CreateAsync("/api/v1/admin/vote_packages",
                new { name = "Ten", vote_count = 10, bonus_votes = 0, price = 0.99m, currency = "USD", sort_order = 1, active = true });
            var voters = new SignedIn[16];
            for (var i = 0; i < voters.Length; i++)
            {
                voters[i] = await server.Api.SignInAsync();
                await server.Api.CreditAsync(voters[i].UserId, 100_000);
                await server.Api.GrantBundleAsync(voters[i].UserId, 100_000);
            }
            for (var round = 1; round <= rounds; round++)
            {
                var load = new MixedLoad(server, episode, voters, package, string.Create(CultureInfo.InvariantCulture, $"r{round}"));
                using var stop = new CancellationTokenSource();
                var killAfter = TimeSpan.FromMilliseconds(rng.Next(400, 1600));
                var started = DateTime.UtcNow;
                var running = load.RunAsync(workers: 24, seed: seed * 1000 + round, stop.Token);
                await Task.Delay(killAfter);
                await server.KillAsync();
                await running;
                await server.DisposeAsync();

                server = await ServerProcess.StartAsync(db, settings);
                var check = await LedgerChecks.VerifyAsync(db, server, episode, load.Record);
                var r = new RoundFigures(round, load.Record.Acknowledged.Count, load.Record.Texts.Count, load.Record.Credits.Count,
                    load.Record.Purchases.Count, load.Record.Unsettled.Count - load.Record.Acknowledged.Count, check, killAfter);
                figures.Add(r);
                Report(kind, r, load.Record, log);
            }
        }
        finally
        {
            await server.DisposeAsync();
        }
        return figures;
    }

    private static void Report(StoreKind kind, RoundFigures r, LoadRecord record, Action<string> log)
    {
        var answers = string.Join(", ", record.Answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}: {a.Value}"));
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{kind} round {r.Round}: killed after {r.Load.TotalMilliseconds:0} ms; acknowledged votes {r.Votes}, texts {r.Texts}, credits {r.Credits}, purchases {r.Purchases}, " +
            $"unsettled {r.Unsettled}; lost {r.Check.Lost}, double-counted {r.Check.DoubleCounted}, overspent {r.Check.Overspent}, replay mismatches {r.Check.ReplayMismatches} [{answers}]");
        log(line);
        if (Environment.GetEnvironmentVariable("XFACTOR_CAMPAIGN_REPORT") is { Length: > 0 } path)
        {
            lock (ReportLock) File.AppendAllLines(path, [line]);
        }
    }
}
