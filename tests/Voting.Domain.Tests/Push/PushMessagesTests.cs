using Voting.Domain.Push;

namespace Voting.Domain.Tests.Push;

public sealed class PushMessagesTests
{
    [Theory]
    [InlineData(1, "Sophea", "Your 1 vote(s) for Sophea have been counted!")]
    [InlineData(12, "សុភា", "Your 12 vote(s) for សុភា have been counted!")]
    [InlineData(1500, "Dara", "Your 1500 vote(s) for Dara have been counted!")]
    public void AVoteConfirmationCountsTheVotesAndNamesTheContestant(long votes, string name, string body)
    {
        var message = PushMessages.VoteConfirmed(votes, name);

        Assert.Equal(("Vote Confirmed! 🎉", body), (message.Title, message.Body));
    }

    [Theory]
    [InlineData("fcm", true)]
    [InlineData("apns", true)]
    [InlineData("FCM", false)]
    [InlineData("gcm", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void OnlyTheTwoPushServicesAreKnownByTheirLowerCaseNames(string? platform, bool known) =>
        Assert.Equal(known, PushPlatforms.IsKnown(platform));

    [Fact]
    public void ATokenIsOneTo4096VisibleAsciiCharacters()
    {
        Assert.True(PushPlatforms.IsWellFormedToken("a"));
        Assert.True(PushPlatforms.IsWellFormedToken("fGx7:APA91b-Hq_" + new string('x', 4081)));
        Assert.True(PushPlatforms.IsWellFormedToken(new string('f', 4096)));
        Assert.False(PushPlatforms.IsWellFormedToken(new string('f', 4097)));
        Assert.False(PushPlatforms.IsWellFormedToken(""));
        Assert.False(PushPlatforms.IsWellFormedToken(null));
        Assert.False(PushPlatforms.IsWellFormedToken("two words"));
        Assert.False(PushPlatforms.IsWellFormedToken("tab\there"));
        Assert.False(PushPlatforms.IsWellFormedToken("ŧoken"));
    }
}
