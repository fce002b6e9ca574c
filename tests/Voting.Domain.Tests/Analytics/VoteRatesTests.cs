using Voting.Domain.Analytics;
using Voting.Domain.Results;

namespace Voting.Domain.Tests.Analytics;

public sealed class VoteRatesTests
{
    private static readonly ContestantId A = new(1), B = new(2);
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 20, 30, 20, TimeSpan.Zero);
    private static readonly long NowMinute = TrendWindows.MinuteOf(Now);

    [Fact]
    public void TheTimelineSumsContestantsPerMinuteInOrderWithVotesPerSecond()
    {
        var timeline = VoteRates.Timeline([new(A, NowMinute, 30), new(B, NowMinute - 1, 1), new(B, NowMinute, 60), new(A, NowMinute - 2, 0)]);

        Assert.Equal(
        [
            new MinuteRate(DateTimeOffset.FromUnixTimeMilliseconds((NowMinute - 1) * 60_000), 1, 0.02m),
            new MinuteRate(new DateTimeOffset(2026, 6, 15, 20, 30, 0, TimeSpan.Zero), 90, 1.50m),
        ], timeline);
    }

    [Fact]
    public void VelocityIsTheVotesOfTheLastThreeHoursDividedByThree()
    {
        var minutes = new MinuteVotes[]
        {
            new(A, NowMinute, 100),
            new(A, NowMinute - 180, 50),  // the minute three hours back is in
            new(B, NowMinute - 181, 999), // older: out
            new(B, NowMinute - 60, 1),
        };

        Assert.Equal(50.33m, VoteRates.Velocity(minutes, Now));
        Assert.Equal(0m, VoteRates.Velocity([], Now));
    }

    [Theory]
    [InlineData(30, 20, 50.00)]
    [InlineData(10, 20, -50.00)]
    [InlineData(20, 20, 0.00)]
    [InlineData(1, 3, -66.67)]
    [InlineData(5, 0, 100.00)]
    [InlineData(0, 0, 0.00)]
    public void MomentumIsTheChangeOfTheLastTenWholeMinutesAgainstTheTenBefore(long recent, long before, double expected)
    {
        var minutes = new MinuteVotes[]
        {
            new(A, NowMinute - 1, recent),
            new(A, NowMinute - 11, before),
            new(A, NowMinute, 1_000),      // the minute in progress is not counted
            new(A, NowMinute - 21, 1_000), // nor anything older than twenty minutes
        };

        Assert.Equal((decimal)expected, VoteRates.Momentum(minutes, NowMinute));
    }

    [Fact]
    public void MomentumCountsTheWindowsEdges()
    {
        Assert.Equal(100m, VoteRates.Momentum([new(A, NowMinute - 10, 4)], NowMinute));
        Assert.Equal(-100m, VoteRates.Momentum([new(A, NowMinute - 20, 4)], NowMinute));
    }
}
