using System.Diagnostics;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Configuration;

/// <summary>A newcomer's first start in Development: one block of warnings, and generated secrets with curl lines that work as printed.</summary>
public sealed class DevelopmentStartTests
{
    /// <summary>Nothing configured but the store, as after a fresh clone.</summary>
    private static Dictionary<string, string> FreshClone() => new()
    {
        ["Admin__ApiKey"] = "",
        ["Auth__SigningKey"] = "",
        ["Broadcast__SigningSecret"] = "",
        ["Demo__Enabled"] = "",
        ["Logging__LogLevel__Default"] = "Information",
    };

    [Fact]
    public async Task AFreshDevelopmentServerFoldsItsWarningsIntoOneBlock()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);
        await using var server = await ServerProcess.StartAsync(db, FreshClone());
        var output = await OutputOnceStartedAsync(server);

        Assert.Single(output, l => l.StartsWith("warn:", StringComparison.Ordinal));
        Assert.Contains(output, l => l.Contains("Admin:ApiKey is not configured", StringComparison.Ordinal));
        Assert.Contains(output, l => l.Contains("Sms:Smart not configured: OutboundUrl", StringComparison.Ordinal));
        Assert.DoesNotContain(output, l => l.Contains("webhook refuses every delivery", StringComparison.Ordinal));
        Assert.DoesNotContain(output, l => l.Contains("Broadcast:SigningSecret is not configured", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheGeneratedSecretsCurlLinesWorkAsPrintedAndSurviveARestart()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);
        List<string> first;
        await using (var server = await ServerProcess.StartAsync(db, FreshClone()))
        {
            first = CommandLines(await OutputOnceStartedAsync(server));
            Assert.Equal(4, first.Count);

            var answers = new List<string>();
            foreach (var line in first) answers.Add(await BashAsync(line));

            Assert.Contains("\"status\":\"processed\"", answers[0], StringComparison.Ordinal);
            Assert.Contains("\"success\":true", answers[1], StringComparison.Ordinal);
            Assert.Contains("<status>OK</status>", answers[2], StringComparison.Ordinal);
            Assert.Contains("\"state\":\"VOTING_CLOSED\"", answers[3], StringComparison.Ordinal);   // the signal
            Assert.Equal(3, await db.CountAsync("SELECT COUNT(*) FROM votes WHERE vote_type = 'sms'"));
        }

        await using var again = await ServerProcess.StartAsync(db, FreshClone());
        var second = CommandLines(await OutputOnceStartedAsync(again));
        Assert.Equal(Secrets(first), Secrets(second));
    }

    /// <summary>What the server wrote, once its start-up block is out (it is logged just after it listens).</summary>
    private static async Task<IReadOnlyList<string>> OutputOnceStartedAsync(ServerProcess server)
    {
        for (var i = 0; i < 100 && !server.Output.Any(l => l.Contains("Try it:", StringComparison.Ordinal)); i++) await Task.Delay(100);
        await Task.Delay(300);
        return server.Output;
    }

    private static List<string> CommandLines(IReadOnlyList<string> output) =>
        [.. output.Select(l => l.Trim()).Where(l => l.StartsWith("event=", StringComparison.Ordinal) || l.StartsWith("body=", StringComparison.Ordinal) || l.StartsWith("curl -sS", StringComparison.Ordinal))];

    /// <summary>The lines without their per-run parts: the secrets and the servers' addresses are what must match.</summary>
    private static List<string> Secrets(List<string> lines) =>
        [.. lines.Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"http://127\.0\.0\.1:\d+", "URL"))];

    private static async Task<string> BashAsync(string line)
    {
        var info = new ProcessStartInfo("bash", ["-c", line]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{line}{Environment.NewLine}{error}");
        return output;
    }
}
