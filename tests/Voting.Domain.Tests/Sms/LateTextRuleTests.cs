using Voting.Domain.Sms;
using Voting.Domain.Voting;

namespace Voting.Domain.Tests.Sms;

public sealed class LateTextRuleTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 14, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddMinutes(30);
    private static readonly TimeSpan Grace = LateTextRule.DefaultGrace;

    private static EpisodeWindow Window(string state = EpisodeStates.Closed, long id = 1) => new(new EpisodeId(id), state, Start, End);

    [Theory]
    [InlineData(EpisodeStates.Closed)]
    [InlineData(EpisodeStates.Open)]
    public void ATextTheCarrierReceivedBeforeTheCloseCountsIfItArrivesWithinTheGrace(string state)
    {
        Assert.True(LateTextRule.Admits(Window(state), End.AddSeconds(100), End.AddSeconds(-1), End.AddSeconds(100), Grace));
        Assert.True(LateTextRule.Admits(Window(state), End.AddSeconds(125), End.AddSeconds(-1), End.AddSeconds(120), Grace));
    }

    [Fact]
    public void ATextArrivingAfterTheGraceIsRefusedWhateverTheCarrierSays() =>
        Assert.False(LateTextRule.Admits(Window(), End.AddSeconds(121), End.AddSeconds(-1), End.AddMilliseconds(120_001), Grace));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-3600)]
    public void ACarrierTimeAtOrAfterTheCloseOrBeforeTheOpeningAdmitsNothing(int secondsFromEnd)
    {
        var carrier = secondsFromEnd == -3600 ? Start.AddSeconds(-1) : End.AddSeconds(secondsFromEnd);
        Assert.False(LateTextRule.Admits(Window(), End.AddSeconds(5), carrier, End.AddSeconds(5), Grace));
    }

    [Fact]
    public void OurClockAloneNeverAdmitsATextAfterTheClose() =>
        Assert.False(LateTextRule.Admits(Window(EpisodeStates.Open), End.AddMilliseconds(1), End.AddSeconds(1), End.AddMilliseconds(-5), Grace));

    [Fact]
    public void TheCarriersTimeNeverRefusesATextOurClockAdmits()
    {
        var open = Window(EpisodeStates.Open);
        Assert.True(LateTextRule.Admits(open, End.AddSeconds(-1), End.AddDays(2), End.AddSeconds(-1), Grace));
        Assert.True(LateTextRule.Admits(open, Start, Start.AddYears(-1), Start, Grace));
    }

    [Fact]
    public void AnIdleWindowTakesNoLateText() =>
        Assert.False(LateTextRule.AdmitsLate(new EpisodeWindow(new EpisodeId(1), EpisodeStates.Idle, null, null), End, End, Grace));

    [Fact]
    public void TheGraceIsConfigurable() =>
        Assert.True(LateTextRule.AdmitsLate(Window(), End.AddSeconds(-1), End.AddMinutes(9), TimeSpan.FromMinutes(10)));

    [Fact]
    public void ATextIsForTheEpisodeOpenNowBeforeAnyOneItCouldBeLateFor()
    {
        var closed = Window(EpisodeStates.Closed, id: 1);
        var next = new EpisodeWindow(new EpisodeId(2), EpisodeStates.Open, End.AddSeconds(30), End.AddMinutes(30));

        Assert.Equal(next, LateTextRule.EpisodeFor([closed, next], End.AddSeconds(40), End.AddSeconds(-1), End.AddSeconds(40), Grace));
        Assert.Equal(closed, LateTextRule.EpisodeFor([closed], End.AddSeconds(40), End.AddSeconds(-1), End.AddSeconds(40), Grace));
        Assert.Equal(closed, LateTextRule.EpisodeFor([closed], End.AddSeconds(40), End.AddSeconds(1), End.AddSeconds(40), Grace));
        Assert.Null(LateTextRule.EpisodeFor([], End, End, End, Grace));
    }
}
