using Voting.Domain.Results;

namespace Voting.Domain.Tests.Results;

public sealed class ContestantTrendTests
{
    [Theory]
    [InlineData(0, 0, ContestantTrending.Stable)]
    [InlineData(1, 0, ContestantTrending.Hot)]
    [InlineData(100, 100, ContestantTrending.Stable)]
    [InlineData(110, 100, ContestantTrending.Stable)]
    [InlineData(111, 100, ContestantTrending.Rising)]
    [InlineData(150, 100, ContestantTrending.Rising)]
    [InlineData(151, 100, ContestantTrending.Hot)]
    [InlineData(90, 100, ContestantTrending.Stable)]
    [InlineData(89, 100, ContestantTrending.Falling)]
    [InlineData(0, 100, ContestantTrending.Falling)]
    [InlineData(3, 2, ContestantTrending.Rising)]
    public void TheLastHourAgainstTheHourBeforeGivesTheTrending(long lastHour, long hourBefore, ContestantTrending expected) =>
        Assert.Equal(expected, ContestantTrend.Classify(lastHour, hourBefore));

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -1)]
    public void ANegativeCountIsRefused(long lastHour, long hourBefore) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ContestantTrend.Classify(lastHour, hourBefore));

    [Theory]
    [InlineData(ContestantTrending.Hot, "hot")]
    [InlineData(ContestantTrending.Rising, "rising")]
    [InlineData(ContestantTrending.Stable, "stable")]
    [InlineData(ContestantTrending.Falling, "falling")]
    public void EachTrendingHasItsWireName(ContestantTrending trending, string expected) =>
        Assert.Equal(expected, ContestantTrend.WireName(trending));
}
