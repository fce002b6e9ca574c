using Microsoft.Extensions.Options;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Push;

/// <summary>A push service is configured completely or not at all: anything between stops the start, saying what is missing.</summary>
public sealed class PushConfigurationTests
{
    [Theory]
    [InlineData("Push:Fcm:ProjectId", "xfactor", "Push:Fcm is partly configured: set ServiceAccountKeyFile")]
    [InlineData("Push:Apns:KeyId", "KEY1234567", "Push:Apns is partly configured: set TeamId, PrivateKeyFile, BundleId")]
    [InlineData("Push:Fcm:BaseUrl", "fcm.googleapis.com", "Push:Fcm:BaseUrl must be an absolute http(s) URL")]
    [InlineData("Push:Apns:TokenMinutes", "55", "Push:Apns:TokenMinutes must be from 20 to 50")]
    public async Task APartlyConfiguredServiceStopsTheStart(string key, string value, string problem)
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            VotingTestServer.StartAsync(StoreKind.Sqlite, settings: new Dictionary<string, string?> { [key] = value }, database: db));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyFileThatIsNotThereStopsTheStart()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);
        var settings = new Dictionary<string, string?>
        {
            ["Push:Apns:TeamId"] = "TEAM123456",
            ["Push:Apns:KeyId"] = "KEY1234567",
            ["Push:Apns:PrivateKeyFile"] = "/nonexistent/AuthKey.p8",
            ["Push:Apns:BundleId"] = "com.hangmeas.xfactor",
        };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => VotingTestServer.StartAsync(StoreKind.Sqlite, settings: settings, database: db));

        Assert.Contains("Push:Apns:PrivateKeyFile names no file", error.Message, StringComparison.Ordinal);
    }
}
