using Voting.Domain.Sms;

namespace Voting.Domain.Tests.Sms;

public sealed class SmsVoteParserTests
{
    // Contestant ids differ from ballot numbers so a test cannot pass by confusing the two.
    private static readonly SmsLineupEntry[] Lineup =
    [
        Entry(1, "Sophea Chan", "ចាន់ សុភា"),
        Entry(2, "Dara", "ដារ៉ា"),
        Entry(3, "Dara Kim", "ដារ៉ា គីម"),
        Entry(4, "Sokha Meas", "សុខា មាស"),
        Entry(5, "Chanthy Kim", "ចាន់ធី គីម"),
        Entry(6, "Pich", null),
        Entry(12, "Rithy Vong", "រិទ្ធី វង្ស"),
    ];

    [Theory]
    [InlineData("VOTE 3", 3, 1)]
    [InlineData("vote 3", 3, 1)]
    [InlineData("Vote  3", 3, 1)]
    [InlineData("  VOTE 3  ", 3, 1)]
    [InlineData("VOTE\t3\r\n", 3, 1)]
    [InlineData("VOTE\u00A03", 3, 1)]
    [InlineData("VOTE 12", 12, 1)]
    [InlineData("VOTE 03", 3, 1)]
    [InlineData("VOTE 3 5", 3, 5)]
    [InlineData("vote 3   5", 3, 5)]
    [InlineData("VOTE 3 05", 3, 5)]
    [InlineData("VOTE 3 10", 3, 10)]
    [InlineData("3", 3, 1)]
    [InlineData("12", 12, 1)]
    [InlineData("V3", 3, 1)]
    [InlineData("v3", 3, 1)]
    [InlineData("V 3", 3, 1)]
    [InlineData("v 3", 3, 1)]
    [InlineData("V3 2", 3, 2)]
    [InlineData("V 3 2", 3, 2)]
    [InlineData("VOTE3", 3, 1)]
    [InlineData("vote3 4", 3, 4)]
    public void NumberFormsVoteForTheContestantAtThatBallotNumber(string text, int ballot, int count) =>
        AssertVote(text, ballot, count);

    [Theory]
    [InlineData("VOTE 3 11", 3, 10)]
    [InlineData("VOTE 3 1000", 3, 10)]
    [InlineData("V3 99999999999999999999", 3, 10)]
    [InlineData("VOTE Sophea 20", 1, 10)]
    public void CountsAboveTenAreCappedAtTen(string text, int ballot, int count) =>
        AssertVote(text, ballot, count);

    [Theory]
    [InlineData("ＶＯＴＥ　３", 3, 1)]
    [InlineData("ｖｏｔｅ　３　５", 3, 5)]
    [InlineData("３", 3, 1)]
    [InlineData("Ｖ３", 3, 1)]
    [InlineData("ＶＯＴＥ　Ｓｏｐｈｅａ", 1, 1)]
    [InlineData("VOTE ៣", 3, 1)]
    [InlineData("VOTE ១២", 12, 1)]
    [InlineData("V៣ ៥", 3, 5)]
    [InlineData("៣", 3, 1)]
    [InlineData("VOTE ០៣", 3, 1)]
    [InlineData("VOTE ๓", 3, 1)]
    public void FullWidthTextAndDigitsOfOtherScriptsReadAsPlainOnes(string text, int ballot, int count) =>
        AssertVote(text, ballot, count);

    [Theory]
    [InlineData("VOTE Sophea", 1, 1)]
    [InlineData("VOTE sophea chan", 1, 1)]
    [InlineData("vote SOPHEA CHAN", 1, 1)]
    [InlineData("VOTE Sophea   Chan", 1, 1)]
    [InlineData("VOTE soph", 1, 1)]
    [InlineData("VOTE Meas", 4, 1)]
    [InlineData("VOTE chanthy", 5, 1)]
    [InlineData("VOTE ich", 6, 1)]
    [InlineData("VOTE Rithy", 12, 1)]
    [InlineData("VOTE Sophea 5", 1, 5)]
    [InlineData("VOTE sokha meas 3", 4, 3)]
    public void LatinNamesAfterVoteMatchOneContestantIgnoringCase(string text, int ballot, int count) =>
        AssertVote(text, ballot, count);

    [Theory]
    [InlineData("VOTE ចាន់ សុភា", 1, 1)]
    [InlineData("VOTE ចាន់សុភា", 1, 1)]
    [InlineData("VOTE ចាន់\u200Bសុភា", 1, 1)]
    [InlineData("VOTE សុភា", 1, 1)]
    [InlineData("VOTE សុខា", 4, 1)]
    [InlineData("VOTE រិទ្ធី", 12, 1)]
    [InlineData("VOTE ចាន់ធី 2", 5, 2)]
    [InlineData("VOTE ចាន់ សុភា ៥", 1, 5)]
    public void KhmerNamesAfterVoteMatchOneContestant(string text, int ballot, int count) =>
        AssertVote(text, ballot, count);

    [Theory]
    [InlineData("VOTE Dara", 2)]
    [InlineData("VOTE ដារ៉ា", 2)]
    [InlineData("VOTE Dara Kim", 3)]
    [InlineData("VOTE Pich", 6)]
    public void AnExactNameBeatsNamesThatMerelyContainIt(string text, int ballot) =>
        AssertVote(text, ballot, 1);

    [Theory]
    [InlineData("VOTE Chan", 1)]
    [InlineData("VOTE ចាន់", 1)]
    public void AWholeWordOfANameBeatsASubstringOfAnother(string text, int ballot) =>
        AssertVote(text, ballot, 1);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\r\n")]
    [InlineData("\u3000")]
    [InlineData("VOTE")]
    [InlineData("vote   ")]
    [InlineData("V")]
    [InlineData("VOTE 0")]
    [InlineData("VOTE 00")]
    [InlineData("0")]
    [InlineData("V0")]
    [InlineData("VOTE 3 0")]
    [InlineData("VOTE ３ ０")]
    [InlineData("VOTE 3 -1")]
    [InlineData("VOTE -3")]
    [InlineData("VOTE +3")]
    [InlineData("VOTE 3 abc")]
    [InlineData("VOTE 3 5 please")]
    [InlineData("VOTE 3 5 6")]
    [InlineData("VOTE 3.5")]
    [InlineData("VOTE 3x")]
    [InlineData("VOTE #3")]
    [InlineData("VOTES 3")]
    [InlineData("I VOTE 3")]
    [InlineData("3 5")]
    [InlineData("V3x")]
    [InlineData("hello")]
    [InlineData("Sophea")]
    [InlineData("ចាន់ សុភា")]
    [InlineData("V Sophea")]
    [InlineData("VOTE Sophea 0")]
    public void AnythingElseGetsTheHelpReply(string? text) =>
        Assert.Equal(new SmsRefused(SmsRefusal.InvalidFormat), SmsVoteParser.Parse(text, Lineup));

    [Theory]
    [InlineData("VOTE 9")]
    [InlineData("9")]
    [InlineData("V9 2")]
    [InlineData("VOTE 99999999999")]
    [InlineData("VOTE Bopha")]
    [InlineData("VOTE Sophea please")]
    [InlineData("VOTE សុខុម")]
    public void AWellFormedNumberOrNameThatMatchesNoOneIsAnUnknownContestant(string text) =>
        Assert.Equal(new SmsRefused(SmsRefusal.UnknownContestant), SmsVoteParser.Parse(text, Lineup));

    [Theory]
    [InlineData("VOTE So")]
    [InlineData("VOTE Kim")]
    [InlineData("VOTE an")]
    [InlineData("VOTE ara")]
    [InlineData("VOTE គីម")]
    public void ANameFragmentSharedByTwoContestantsIsAmbiguous(string text) =>
        Assert.Equal(new SmsRefused(SmsRefusal.AmbiguousName), SmsVoteParser.Parse(text, Lineup));

    // Built in code: xUnit would turn a lone surrogate in InlineData into U+FFFD on discovery.
    [Fact]
    public void TextThatIsNotValidUnicodeGetsTheHelpReply()
    {
        foreach (var text in new[] { "VOTE Sophea" + '\uDC00', "VOTE " + '\uD800', '\uD800' + "3", "VOTE 3" + '\uD800' })
            Assert.Equal(new SmsRefused(SmsRefusal.InvalidFormat), SmsVoteParser.Parse(text, Lineup));
    }

    [Fact]
    public void TwoContestantsWithTheSameNameAreAmbiguousEvenWhenExact()
    {
        SmsLineupEntry[] twins = [Entry(1, "Vanna", null), Entry(2, "vanna", null)];
        Assert.Equal(new SmsRefused(SmsRefusal.AmbiguousName), SmsVoteParser.Parse("VOTE Vanna", twins));
    }

    [Fact]
    public void LineupNamesAreNormalizedLikeTexts()
    {
        SmsLineupEntry[] stored = [Entry(1, "Ｓｏｐｈｅａ  Chan", null), Entry(2, "Sokha", null)];
        AssertVote("VOTE sophea chan", 1, 1, stored);
    }

    [Fact]
    public void AnEmptyLineupKnowsNoContestant() =>
        Assert.Equal(new SmsRefused(SmsRefusal.UnknownContestant), SmsVoteParser.Parse("VOTE 1", []));

    [Fact]
    public void TheHelpReplyTellsTheTexterWhatToSend() =>
        Assert.Equal("Invalid format. Send VOTE <number> to 1255", SmsVoteParser.InvalidFormatReply);

    private static void AssertVote(string text, int ballot, int count, SmsLineupEntry[]? lineup = null) =>
        Assert.Equal(new SmsVote(Id(ballot), ballot, count), SmsVoteParser.Parse(text, lineup ?? Lineup));

    private static SmsLineupEntry Entry(int ballot, string name, string? khmerName) =>
        new(ballot, Id(ballot), name, khmerName);

    private static ContestantId Id(int ballot) => new(100 + ballot);
}
