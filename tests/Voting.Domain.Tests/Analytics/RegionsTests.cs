using Voting.Domain.Analytics;

namespace Voting.Domain.Tests.Analytics;

public sealed class RegionsTests
{
    [Fact]
    public void TheFourCityProvincesAreUrbanAndUnknownIsLeftOut()
    {
        var votes = new Dictionary<string, long>
        {
            ["Phnom Penh"] = 40,
            ["Siem Reap"] = 10,
            ["Battambang"] = 5,
            ["Preah Sihanouk"] = 5,
            ["Kandal"] = 30,
            ["Kep"] = 10,
            ["unknown"] = 500,
        };

        Assert.Equal(new UrbanSplit(60, 40, 60.00m), Regions.Split(votes));
    }

    [Fact]
    public void ThePercentageHasTwoDecimalsAndNoVotesIsZero()
    {
        Assert.Equal(new UrbanSplit(1, 2, 33.33m), Regions.Split(new Dictionary<string, long> { ["Phnom Penh"] = 1, ["Takeo"] = 2 }));
        Assert.Equal(new UrbanSplit(2, 1, 66.67m), Regions.Split(new Dictionary<string, long> { ["Phnom Penh"] = 2, ["Takeo"] = 1 }));
        Assert.Equal(new UrbanSplit(0, 0, 0m), Regions.Split(new Dictionary<string, long> { ["unknown"] = 9 }));
    }

    [Fact]
    public void TopProvincesAreTheFiveLargestKnownOnesMostFirstTiesByName()
    {
        var votes = new Dictionary<string, long>
        {
            ["unknown"] = 1000,
            ["Kep"] = 5,
            ["Kampot"] = 5,
            ["Phnom Penh"] = 90,
            ["Takeo"] = 7,
            ["Pursat"] = 1,
            ["Pailin"] = 2,
            ["Kratie"] = 0,
        };

        Assert.Equal(["Phnom Penh", "Takeo", "Kampot", "Kep", "Pailin"], Regions.Top(votes).Select(kv => kv.Key));
    }
}
