using Voting.Domain.Results;

namespace Voting.Domain.Tests.Results;

public sealed class TrendTests
{
    [Theory]
    [InlineData(0, 0, VoteTrend.Stable)]
    [InlineData(1, 0, VoteTrend.RisingFast)]
    [InlineData(100, 100, VoteTrend.Stable)]
    [InlineData(105, 100, VoteTrend.Stable)]
    [InlineData(106, 100, VoteTrend.Rising)]
    [InlineData(120, 100, VoteTrend.Rising)]
    [InlineData(121, 100, VoteTrend.RisingFast)]
    [InlineData(95, 100, VoteTrend.Stable)]
    [InlineData(94, 100, VoteTrend.Falling)]
    [InlineData(80, 100, VoteTrend.Falling)]
    [InlineData(79, 100, VoteTrend.FallingFast)]
    [InlineData(0, 100, VoteTrend.FallingFast)]
    [InlineData(2, 1, VoteTrend.RisingFast)]
    [InlineData(21, 20, VoteTrend.Stable)]
    [InlineData(22, 20, VoteTrend.Rising)]
    [InlineData(2_001, 2_000, VoteTrend.Stable)]
    [InlineData(long.MaxValue, long.MaxValue, VoteTrend.Stable)]
    [InlineData(long.MaxValue, 1, VoteTrend.RisingFast)]
    [InlineData(0, long.MaxValue, VoteTrend.FallingFast)]
    public void TheLastFiveMinutesAgainstTheFiveBeforeGiveTheTrend(long last, long previous, VoteTrend expected) =>
        Assert.Equal(expected, Trend.Classify(last, previous));

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, -1)]
    public void ANegativeCountIsRefused(long last, long previous) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Trend.Classify(last, previous));

    [Theory]
    [InlineData(VoteTrend.RisingFast, "rising_fast")]
    [InlineData(VoteTrend.Rising, "rising")]
    [InlineData(VoteTrend.Stable, "stable")]
    [InlineData(VoteTrend.Falling, "falling")]
    [InlineData(VoteTrend.FallingFast, "falling_fast")]
    public void EachTrendHasItsWireName(VoteTrend trend, string expected) =>
        Assert.Equal(expected, Trend.WireName(trend));

    [Fact]
    public void EveryTrendHasADistinctWireName() =>
        Assert.Equal(Enum.GetValues<VoteTrend>().Length, Enum.GetValues<VoteTrend>().Select(Trend.WireName).Distinct().Count());
}
