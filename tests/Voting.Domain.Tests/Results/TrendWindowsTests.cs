using Voting.Domain.Results;

namespace Voting.Domain.Tests.Results;

public sealed class TrendWindowsTests
{
    private static readonly ContestantId Ana = new(1), Ben = new(2);
    private const long Ref = 29_000_000; // the minute in progress

    [Fact]
    public void WholeMinutesBeforeTheReferenceFallInTheirPeriodsAndTheMinuteInProgressInNone()
    {
        var w = TrendWindows.From(
        [
            new MinuteVotes(Ana, Ref, 1000),      // in progress: left out
            new MinuteVotes(Ana, Ref - 1, 10),    // last five
            new MinuteVotes(Ana, Ref - 5, 20),    // last five
            new MinuteVotes(Ana, Ref - 6, 40),    // previous five
            new MinuteVotes(Ana, Ref - 10, 80),   // previous five
            new MinuteVotes(Ana, Ref - 11, 160),  // last hour only
            new MinuteVotes(Ana, Ref - 60, 320),  // last hour only
            new MinuteVotes(Ana, Ref - 61, 640),  // previous hour
            new MinuteVotes(Ana, Ref - 120, 1280), // previous hour
            new MinuteVotes(Ana, Ref - 121, 2560), // too old
            new MinuteVotes(Ben, Ref - 2, 7),
            new MinuteVotes(Ben, Ref - 2, 3),
        ], Ref);

        Assert.Equal(30, w.LastFiveMinutes[Ana]);
        Assert.Equal(120, w.PreviousFiveMinutes[Ana]);
        Assert.Equal(10 + 20 + 40 + 80 + 160 + 320, w.LastHour[Ana]);
        Assert.Equal(640 + 1280, w.PreviousHour[Ana]);
        Assert.Equal(10, w.LastFiveMinutes[Ben]);
        Assert.False(w.PreviousFiveMinutes.ContainsKey(Ben));
        Assert.Equal(Ref - 120, TrendWindows.FirstMinuteNeeded(Ref));
    }

    [Fact]
    public void ASteadyStreamIsStableWhicheverSecondOfTheMinuteItIsRead()
    {
        var minutes = Enumerable.Range(0, 30).Select(i => new MinuteVotes(Ana, Ref - i, 100)).ToList();
        var w = TrendWindows.From(minutes, Ref);

        Assert.Equal(VoteTrend.Stable, Trend.Classify(w.LastFiveMinutes[Ana], w.PreviousFiveMinutes[Ana]));
    }

    [Theory]
    [InlineData("2025-06-14T12:00:00.000Z", 29_165_040)]
    [InlineData("2025-06-14T12:00:59.999Z", 29_165_040)]
    [InlineData("2025-06-14T12:01:00.000Z", 29_165_041)]
    [InlineData("1969-12-31T23:59:59.000Z", -1)]
    public void AMomentFallsInItsUnixMinute(string moment, long minute) =>
        Assert.Equal(minute, TrendWindows.MinuteOf(DateTimeOffset.Parse(moment, System.Globalization.CultureInfo.InvariantCulture)));
}
