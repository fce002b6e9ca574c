using Voting.Server.Infrastructure;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Audit;

/// <summary>Operator keys that cannot work stop the start with a message naming the keys, never their values.</summary>
public sealed class OperatorKeyConfigurationTests
{
    [Theory]
    [InlineData("Development", "Admin:ApiKeys:bob", "short-key", "Admin:ApiKeys:bob is too short")]
    [InlineData("Production", "Admin:ApiKeys:bob", "short-key", "Admin:ApiKeys:bob is too short")]
    [InlineData("Development", "Admin:ApiKey", "short-key", "Admin:ApiKey is too short")]
    [InlineData("Development", "Admin:ApiKeys:bob", "alice-key-0123456789", "Admin:ApiKeys:alice and Admin:ApiKeys:bob have the same key")]
    [InlineData("Development", "Admin:ApiKey", "alice-key-0123456789", "Admin:ApiKey and Admin:ApiKeys:alice have the same key")]
    [InlineData("Production", "Admin:ApiKeys:admin", "other-admin-key-0123", "Admin:ApiKey and Admin:ApiKeys:admin both name the operator 'admin'")]
    [InlineData("Development", "Admin:ApiKeys:bob smith", "bob-key-0123456789-xyz", "Admin:ApiKeys:bob smith: an operator's name is")]
    public async Task ABadOperatorKeyStopsTheStartAndSaysWhich(string environment, string key, string value, string message)
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);
        var settings = VotingTestServer.Settings(db);
        settings["Admin:ApiKeys:alice"] = "alice-key-0123456789";
        settings[key] = value;

        var refusal = await RefusalAsync(environment, settings);

        Assert.Contains(message, refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(value, refusal, StringComparison.Ordinal);
        Assert.DoesNotContain("alice-key-0123456789", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutsideDevelopmentSomeOperatorKeyIsRequired()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);
        var settings = VotingTestServer.Settings(db);
        settings["Admin:ApiKey"] = "";

        var refusal = await RefusalAsync("Staging", settings);

        Assert.Contains("Admin:ApiKey must be configured outside Development (or named keys, Admin:ApiKeys:<name>)", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void TheOperatorsAreListedByNameWithTheSingleKeyAsAdmin()
    {
        var options = new AdminOptions { ApiKey = "single-key-0123456789" };
        options.ApiKeys["zoe"] = "zoe-key-0123456789ab";
        options.ApiKeys["bob"] = "bob-key-0123456789ab";

        Assert.Equal(["admin", "bob", "zoe"], options.Operators().Select(o => o.Name));
        Assert.Null(options.Problem(isDevelopment: false));
    }

    [Fact]
    public async Task TheServerLogsTheOperatorsNamesAndNeverTheirKeys()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);
        await using var server = await ServerProcess.StartAsync(db, new Dictionary<string, string>
        {
            ["Admin__ApiKeys__alice"] = "alice-key-0123456789",
            ["Logging__LogLevel__Default"] = "Information",
        });
        for (var i = 0; i < 100 && !server.Output.Any(l => l.Contains("Operators (X-Api-Key names)", StringComparison.Ordinal)); i++) await Task.Delay(100);

        Assert.Contains(server.Output, l => l.Contains("Operators (X-Api-Key names): admin, alice", StringComparison.Ordinal));
        Assert.DoesNotContain(server.Output, l => l.Contains("alice-key-0123456789", StringComparison.Ordinal) || l.Contains(VotingTestServer.AdminKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AProductionServerProcessWithATooShortKeyExitsWithOneLineNamingIt()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);

        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(db, new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Admin__ApiKeys__bob"] = "bob-short",
        });

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("The server cannot start:", line, StringComparison.Ordinal);
        Assert.Contains("Admin:ApiKeys:bob is too short", line, StringComparison.Ordinal);
        Assert.DoesNotContain("bob-short", line, StringComparison.Ordinal);
    }

    private static async Task<string> RefusalAsync(string environment, Dictionary<string, string?> config)
    {
        WebApplication? app = null;
        try
        {
            app = VotingApp.Build(["--environment", environment, "--urls", "http://127.0.0.1:0"], b => b.Configuration.AddInMemoryCollection(config));
            await app.StartAsync();
            await app.StopAsync();
        }
        catch (Exception e) when (ValidatedOptions.FailuresOf(e) is { } failures)
        {
            return string.Join("; ", failures);
        }
        finally
        {
            if (app is not null) await app.DisposeAsync();
        }
        throw new Xunit.Sdk.XunitException("the server started");
    }
}
