using Voting.Domain.Sms;
using Voting.Domain.Voting;

namespace Voting.Domain.Tests.Sms;

public sealed class SmsRepliesTests
{
    [Fact]
    public void ACountedTextThanksTheTexterAndSaysWhatIsLeftToday()
    {
        var answer = SmsReplies.Vote("Sophea Chan", 5, 45);
        Assert.True(answer.Counted);
        Assert.Equal("Thanks! Your 5 vote(s) for Sophea Chan have been counted. You can send 45 more SMS vote(s) today.", answer.Reply);
    }

    [Theory]
    [InlineData(VoteRefusal.VotingClosed, "VOTING_CLOSED", "voting is closed")]
    [InlineData(VoteRefusal.EpisodeNotFound, "VOTING_CLOSED", "voting is closed")]
    [InlineData(VoteRefusal.SmsLimitExceeded, "SMS_LIMIT_EXCEEDED", "have 3 left today")]
    [InlineData(VoteRefusal.ContestantEliminated, "CONTESTANT_ELIMINATED", "eliminated")]
    [InlineData(VoteRefusal.InvalidContestant, "CONTESTANT_NOT_FOUND", "Send VOTE <number> to 1255")]
    [InlineData(VoteRefusal.ContestantNotFound, "CONTESTANT_NOT_FOUND", "no contestant has that number")]
    [InlineData(VoteRefusal.PhoneNotVerified, "PHONE_NOT_VERIFIED", "could not be counted")]
    public void ARefusedVoteSaysWhyAndCostsNothing(VoteRefusal refusal, string code, string says)
    {
        var answer = SmsReplies.Refused(refusal, 3);
        Assert.False(answer.Counted);
        Assert.Equal(code, answer.Code);
        Assert.Contains(says, answer.Reply, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SmsRefusal.InvalidFormat, "INVALID_FORMAT", SmsVoteParser.InvalidFormatReply)]
    [InlineData(SmsRefusal.UnknownContestant, "CONTESTANT_NOT_FOUND", "Sorry, no contestant has that number or name in this episode. Send VOTE <number> to 1255")]
    [InlineData(SmsRefusal.AmbiguousName, "AMBIGUOUS_NAME", "More than one contestant matches that name. Send VOTE <number> to 1255")]
    public void ATextThatIsNotAVoteGetsHelp(SmsRefusal refusal, string code, string reply) =>
        Assert.Equal(new SmsAnswer(code, reply), SmsReplies.Refused(refusal));
}
