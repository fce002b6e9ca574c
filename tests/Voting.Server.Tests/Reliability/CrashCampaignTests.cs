using Xunit.Abstractions;

namespace Voting.Server.Tests.Reliability;

/// <summary>A few rounds of the crash campaign per store (CI); scripts/crash-campaign.sh runs 100.</summary>
public abstract class CrashCampaignTests(StoreKind kind, ITestOutputHelper output)
{
    [Fact]
    public async Task EveryRoundOfSigkillUnderMixedLoadKeepsEveryPromise()
    {
        var rounds = await CrashCampaign.RunAsync(kind, CrashCampaign.Rounds(defaultRounds: 3), seed: 12, output.WriteLine);

        Assert.True(rounds.Sum(r => r.Votes) > 50, "too few votes were acknowledged for the kills to mean anything");
        Assert.Contains(rounds, r => r.Unsettled > 0);
    }
}

public sealed class SqliteCrashCampaignTests(ITestOutputHelper output) : CrashCampaignTests(StoreKind.Sqlite, output);

public sealed class PostgresCrashCampaignTests(ITestOutputHelper output) : CrashCampaignTests(StoreKind.Postgres, output);
