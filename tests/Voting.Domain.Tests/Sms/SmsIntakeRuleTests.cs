using Voting.Domain.Sms;
using Voting.Domain.Voting;

namespace Voting.Domain.Tests.Sms;

public sealed class SmsIntakeRuleTests
{
    private static readonly DateTimeOffset Start = new(2025, 6, 14, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddMinutes(30);
    private static readonly TimeSpan Grace = LateTextRule.DefaultGrace;
    private static readonly IReadOnlyList<SmsLineupEntry> Lineup =
        [new(1, new ContestantId(11), "Sophea Chan", "ចាន់ សុភា"), new(2, new ContestantId(12), "Dara Kim", null)];

    private static EpisodeWindow Open(long id = 1) => new(new EpisodeId(id), EpisodeStates.Open, Start, End);
    private static EpisodeWindow Closed(long id = 1) => new(new EpisodeId(id), EpisodeStates.Closed, Start, End);

    private static SmsResolution Resolve(string text, IReadOnlyList<EpisodeWindow> episodes, DateTimeOffset now, DateTimeOffset? received = null) =>
        SmsIntakeRule.Resolve(text, episodes, _ => Lineup, now, received ?? now, now, Grace);

    [Fact]
    public void AVoteTextInAnOpenWindowAsksForItsContestantAndCount()
    {
        var r = Assert.IsType<SmsVoteResolution>(Resolve("VOTE 2 3", [Open()], Start.AddMinutes(1)));

        Assert.Equal((new EpisodeId(1), new ContestantId(12), 3), (r.Window.Id, r.Contestant, r.Count));
    }

    [Fact]
    public void AnUnreadableTextIsAnsweredWithTheFormatHelpEvenWithNoEpisodeOpen()
    {
        var r = Assert.IsType<SmsAnswerResolution>(Resolve("hello", [], Start));

        Assert.Equal(SmsReplies.InvalidFormat, r.Answer.Code);
        Assert.Null(r.Episode);
    }

    [Fact]
    public void AWellFormedTextWithNoEpisodeTakingTextsIsToldVotingIsClosed() =>
        Assert.Equal(SmsReplies.Closed, Assert.IsType<SmsAnswerResolution>(Resolve("VOTE 1", [], Start)).Answer);

    [Fact]
    public void AnUnknownBallotNumberIsRecordedUnderTheEpisodeAndNotJudged()
    {
        var r = Assert.IsType<SmsAnswerResolution>(Resolve("VOTE 9", [Open()], Start.AddMinutes(1)));

        Assert.Equal((SmsReplies.NotFound, new EpisodeId(1)), (r.Answer, r.Episode!.Id));
    }

    [Fact]
    public void ATextReceivedInTimeButArrivingAfterTheCloseIsJudgedAtTheCarriersTime()
    {
        var received = End.AddSeconds(-5);
        var now = End.AddSeconds(30);
        var r = Assert.IsType<SmsVoteResolution>(SmsIntakeRule.Resolve("VOTE 1", [Closed()], _ => Lineup, now, received, now, Grace));

        var (window, at, late) = SmsIntakeRule.JudgedWindow(r.Window, now, received, now, Grace);

        Assert.True(late);
        Assert.Equal(received, at);
        Assert.True(window!.IsOpenAt(at));
    }

    [Fact]
    public void OurClockAloneNeverAdmitsATextAfterTheClose()
    {
        var now = End.AddSeconds(30);

        var (window, at, late) = SmsIntakeRule.JudgedWindow(Closed(), now, now, now, Grace);

        Assert.False(late);
        Assert.Equal(now, at);
        Assert.False(window!.IsOpenAt(at));
    }

    [Theory]
    [InlineData("smart", "012345678", "smart")]
    [InlineData(null, "010123456", "smart")]
    [InlineData(null, "012345678", "cellcard")]
    [InlineData(null, "0971234567", "metfone")]
    public void ATextIsBilledByItsCarrierAndAnAppSmsVoteByThePhonesPrefix(string? delivering, string phone, string billed) =>
        Assert.Equal(billed, SmsBilling.ChargedCarrier(delivering, phone));

    [Fact]
    public void TheBillNamesTheVotesAndTheContestant() =>
        Assert.Equal("XFactor: 3 vote(s) for Dara Kim", SmsBilling.Description(3, "Dara Kim"));
}
