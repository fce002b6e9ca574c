using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.LoadTest;

/// <summary>
/// The show-night load test run as it is run by hand: the real tool as a process against a real
/// server process on a SQLite file, with a small crowd.
/// </summary>
public sealed class ShowNightToolTests
{
    private const string SmsSecret = "show-night-sms-secret";

    [Fact]
    public async Task ASmallShowNightPassesEveryCheckAndItsFiguresAgreeWithTheServer()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);
        await using var server = await ServerProcess.StartAsync(db, new Dictionary<string, string> { ["Sms__Smart__Secret"] = SmsSecret });
        var report = ReportDirectory();
        try
        {
            var (exit, output) = await RunToolAsync(server.Address, report, "--viewers", "50", "--watchers", "20", "--window", "20",
                "--signal-secret", VotingTestServer.SignalSecret);
            Assert.True(exit == 0, $"show-night exited {exit}:\n{output}");

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(report, "show-night.json")));
            var r = json.RootElement;
            Assert.True(r.GetProperty("passed").GetBoolean());
            var checks = r.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("passed").GetBoolean());
            Assert.All(checks, c => Assert.True(c.Value, c.Key));
            Assert.Contains("ledger_equals_acknowledged", checks.Keys);
            Assert.Contains("frozen_digest_equals_audit", checks.Keys);
            Assert.Contains("watchers_saw_open_and_close", checks.Keys);
            Assert.Contains("acknowledged_ids_in_history", checks.Keys);
            foreach (var kind in new[] { "free", "paid", "sms" })
                Assert.True(r.GetProperty("votes").GetProperty(kind).GetProperty("acknowledged_votes").GetInt64() > 0, kind);
            Assert.Equal(20, r.GetProperty("watchers").GetProperty("connected").GetInt32());
            Assert.True(File.Exists(Path.Combine(report, "show-night.md")));

            // The server's own word, not the tool's: the audit of the episode it ran.
            var audit = await server.Api.AuditAsync(r.GetProperty("episode_id").GetInt64());
            Assert.True(audit.GetProperty("consistent").GetBoolean());
            Assert.Equal(r.GetProperty("acknowledged_votes").GetInt64(), audit.GetProperty("ledger_votes").GetInt64());
            Assert.Equal(r.GetProperty("server").GetProperty("audit_digest").GetString(), audit.GetProperty("digest").GetString());
            var state = await server.Client.GetFromJsonAsync<JsonElement>($"/api/v1/xfactor/show/{r.GetProperty("episode_id").GetInt64()}");
            Assert.Equal("SHOW_ENDED", state.GetProperty("data").GetProperty("state").GetString());
        }
        finally
        {
            if (Directory.Exists(report)) Directory.Delete(report, recursive: true);
        }
    }

    [Fact]
    public async Task SignalsSignedWithTheWrongSecretFailTheRunWithANonZeroExit()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);
        await using var server = await ServerProcess.StartAsync(db, new Dictionary<string, string> { ["Sms__Smart__Secret"] = SmsSecret });
        var report = ReportDirectory();
        try
        {
            var (exit, output) = await RunToolAsync(server.Address, report, "--viewers", "6", "--watchers", "2", "--window", "5",
                "--results-timeout", "2", "--signal-secret", "not-the-secret");
            Assert.True(exit == 1, $"show-night exited {exit}:\n{output}");
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(report, "show-night.json")));
            var failed = json.RootElement.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("passed").GetBoolean())
                .Select(c => c.GetProperty("name").GetString()).ToList();
            Assert.Contains("signals_applied", failed);
            Assert.Contains("results_frozen", failed);
            Assert.Contains("401 INVALID_SIGNATURE", output, StringComparison.Ordinal);
        }
        finally
        {
            if (Directory.Exists(report)) Directory.Delete(report, recursive: true);
        }
    }

    private static string ReportDirectory() => Path.Combine(Path.GetTempPath(), "show-night-test-" + Guid.NewGuid().ToString("N"));

    private static async Task<(int Exit, string Output)> RunToolAsync(Uri server, string report, params string[] args)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "Voting.LoadTest.dll");
        var info = new ProcessStartInfo("dotnet", ["exec", tool, "show-night", "--url", server.ToString(), "--admin-key", VotingTestServer.AdminKey,
            "--sms-secret", SmsSecret, "--performance-ms", "100", "--seed", "20261130", "--report", report, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the load tool");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("show-night did not finish in 120 s:\n" + await stdout);
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
