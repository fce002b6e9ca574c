using Voting.Domain.Voting;

namespace Voting.Domain.Tests.Voting;

public sealed class VoteRefusalsTests
{
    public static TheoryData<VoteRefusal> AllRefusals => new(Enum.GetValues<VoteRefusal>());

    [Theory]
    [MemberData(nameof(AllRefusals))]
    public void EveryRefusalHasAnUpperSnakeCaseCodeAndAMessage(VoteRefusal refusal)
    {
        Assert.Matches("^[A-Z]+(_[A-Z]+)*$", refusal.Code());
        Assert.False(string.IsNullOrWhiteSpace(refusal.Message(0)));
        Assert.DoesNotContain("{", refusal.Message(0), StringComparison.Ordinal);
    }

    [Fact]
    public void NoTwoRefusalsShareACode()
    {
        var codes = Enum.GetValues<VoteRefusal>().Select(r => r.Code()).ToList();

        Assert.Equal(codes.Count, codes.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData(VoteRefusal.VotingClosed, "VOTING_CLOSED")]
    [InlineData(VoteRefusal.FreeVoteLimitExceeded, "FREE_VOTE_LIMIT_EXCEEDED")]
    [InlineData(VoteRefusal.InsufficientVoteBalance, "INSUFFICIENT_VOTE_BALANCE")]
    [InlineData(VoteRefusal.SmsLimitExceeded, "SMS_LIMIT_EXCEEDED")]
    [InlineData(VoteRefusal.VoterNotFound, "UNAUTHORIZED")]
    public void CodesMatchTheHttpContract(VoteRefusal refusal, string code) =>
        Assert.Equal(code, refusal.Code());

    [Theory]
    [InlineData(VoteRefusal.FreeVoteLimitExceeded, 3, "You can only cast 3 more free votes")]
    [InlineData(VoteRefusal.InsufficientVoteBalance, 7, "Insufficient vote balance. You have 7 votes")]
    [InlineData(VoteRefusal.InsufficientBundleVotes, 2, "Insufficient bundle votes. You have 2 bundle votes")]
    [InlineData(VoteRefusal.SmsLimitExceeded, 4, "Daily SMS vote limit reached. You can cast 4 more SMS votes today")]
    [InlineData(VoteRefusal.InvalidVoteCount, 0, "vote_count must be between 1 and 1000")]
    public void MessagesWithALimitSayWhatIsLeft(VoteRefusal refusal, long remaining, string message) =>
        Assert.Equal(message, refusal.Message(remaining));

    [Fact]
    public void AnUndefinedRefusalHasNoCodeOrMessage()
    {
        var undefined = (VoteRefusal)99;

        Assert.Throws<ArgumentOutOfRangeException>(() => undefined.Code());
        Assert.Throws<ArgumentOutOfRangeException>(() => undefined.Message(0));
    }
}
