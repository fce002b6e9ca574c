using Voting.Server.Infrastructure;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Configuration;

/// <summary>Every configuration section is checked as the server starts: a value that cannot work stops it, naming its key.</summary>
public sealed class StartupConfigurationTests
{
    [Theory]
    [InlineData("Live:ResultsIntervalMs", "-1")]
    [InlineData("Live:MaxQueuedMessages", "0")]
    [InlineData("Live:KeepAliveSeconds", "0")]
    [InlineData("Show:ScanSeconds", "0")]
    [InlineData("Broadcast:ReplayWindowSeconds", "0")]
    [InlineData("VoteWriter:MaxBatch", "0")]
    [InlineData("VoteWriter:QueueCapacity", "-5")]
    [InlineData("Voting:VoteRequestsPerMinute", "0")]
    [InlineData("Auth:CodeLifetimeSeconds", "5")]
    [InlineData("Auth:SigningKey", "shorter-than-32-bytes")]
    [InlineData("Demo:VotingMinutes", "0")]
    [InlineData("Sms:LateTextGraceSeconds", "-1")]
    [InlineData("Sms:Smart:PricePerVote", "-0.25")]
    [InlineData("Sms:Cellcard:OutboundUrl", "ftp://carrier.example/sms")]
    [InlineData("Outbox:LeaseSeconds", "0")]
    [InlineData("Storage:Provider", "mysql")]
    [InlineData("Storage:TallyShard", "-1")]
    [InlineData("Storage:TallyLanes", "65")]
    [InlineData("Purchases:Apple:Environment", "Staging")]
    [InlineData("Purchases:Apple:RootCertificates:0", "/no/such/root.pem")]
    [InlineData("Purchases:Google:ApiBaseUrl", "ftp://play.example")]
    [InlineData("Purchases:Google:TimeoutSeconds", "0")]
    [InlineData("Purchases:Google:PackageName", "com.hangmeas.xfactor")]
    public async Task AValueThatCannotWorkStopsTheStartAndNamesItsKey(string key, string value)
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);

        var refusal = await RefusalAsync(db, "Development", new() { [key] = value });

        Assert.Contains(key, refusal, StringComparison.Ordinal);
        if (key == "Auth:SigningKey") Assert.DoesNotContain(value, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutsideDevelopmentTheAdminKeyAndTheSigningKeyAreRequired()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);

        var refusal = await RefusalAsync(db, "Production", new() { ["Admin:ApiKey"] = null, ["Auth:SigningKey"] = null });

        Assert.Contains("Admin:ApiKey must be configured outside Development", refusal, StringComparison.Ordinal);
        Assert.Contains("Auth:SigningKey must be configured outside Development", refusal, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Purchases:TestStore:Enabled", "true")]
    [InlineData("Purchases:Apple:Environment", "Xcode")]
    public async Task InProductionTheTestStoreAndXcodeReceiptsAreRefused(string key, string value)
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);

        var refusal = await RefusalAsync(db, "Production", new() { [key] = value });

        Assert.Contains(key, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerProcessGivenABadValueExitsAndSaysWhichKey()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);

        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(db, new Dictionary<string, string> { ["Live__ResultsIntervalMs"] = "-1" });

        Assert.Equal(1, exitCode);
        Assert.Contains("Live:ResultsIntervalMs must be between 10 and 60000", output, StringComparison.Ordinal);
    }

    /// <summary>Builds and starts the server with <paramref name="settings"/> over the usual test ones; returns what it said in refusing.</summary>
    private static async Task<string> RefusalAsync(TestDatabase db, string environment, Dictionary<string, string?> settings)
    {
        var config = VotingTestServer.Settings(db);
        foreach (var (key, value) in settings) config[key] = value;
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
