using Voting.Domain.Show;

namespace Voting.Domain.Tests.Show;

public sealed class VotingClockTests
{
    private static string Names(long seconds) => string.Join(",", VotingClock.MessagesAt(seconds));

    [Theory]
    [InlineData(1800, "TimeUpdate")]
    [InlineData(70, "TimeUpdate")]
    [InlineData(60, "TimeUpdate,Warning")]
    [InlineData(20, "TimeUpdate")]
    [InlineData(10, "Countdown")]
    [InlineData(5, "Countdown")]
    [InlineData(1, "Countdown")]
    [InlineData(0, "")]
    [InlineData(-3, "")]
    [InlineData(11, "")]
    [InlineData(59, "")]
    [InlineData(61, "")]
    [InlineData(1795, "")]
    public void MessagesFollowTheCadenceOfTheContract(long seconds, string expected) => Assert.Equal(expected, Names(seconds));

    [Fact]
    public void AThreeMinuteWindowSpeaksAtTheseSecondsLeft()
    {
        var spoken = new List<string>();
        for (long? s = VotingClock.NextBoundary(180); s is { } k; s = VotingClock.NextBoundary(k))
            spoken.AddRange(VotingClock.MessagesAt(k).Select(m => $"{m}:{k}"));

        var expected = new List<string>();
        for (var k = 170; k > 10; k -= 10)
        {
            expected.Add($"TimeUpdate:{k}");
            if (k == 60) expected.Add("Warning:60");
        }
        for (var k = 10; k >= 1; k--) expected.Add($"Countdown:{k}");
        Assert.Equal(expected, spoken);
    }

    [Theory]
    [InlineData(1800, 1790L)]
    [InlineData(1791, 1790L)]
    [InlineData(61, 60L)]
    [InlineData(21, 20L)]
    [InlineData(20, 10L)]
    [InlineData(11, 10L)]
    [InlineData(2, 1L)]
    [InlineData(1, null)]
    [InlineData(0, null)]
    public void TheNextBoundaryIsTheNextSecondLeftThatSpeaks(long seconds, long? next) =>
        Assert.Equal(next, VotingClock.NextBoundary(seconds));

    [Theory]
    [InlineData(10_000, 10)]
    [InlineData(10_004, 10)]
    [InlineData(9_996, 10)]
    [InlineData(9_500, 10)]
    [InlineData(9_499, 9)]
    [InlineData(0, 0)]
    [InlineData(-700, -1)]
    public void SecondsLeftRoundToTheNearestSoATimerFiringALittleEarlyOrLateNamesItsBoundary(long msLeft, long seconds)
    {
        var now = new DateTimeOffset(2025, 6, 14, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(seconds, VotingClock.SecondsLeft(now.AddMilliseconds(msLeft), now));
    }
}
