using Voting.Domain.Ledger;
using Voting.Domain.Voting;

namespace Voting.Domain.Tests.Ledger;

public sealed class VoterAllowancesTests
{
    private static VoterAllowances Voter(long balance = 0, long sms = 0, long freeUsed = 0, params BundleBalance[] bundles) =>
        new(balance, sms, [KeyValuePair.Create(1L, freeUsed)], bundles);

    [Fact]
    public void FreeVotesStopAtFivePerEpisodeAndAreCountedPerEpisode()
    {
        var v = Voter(freeUsed: 3);

        Assert.Null(v.TrySpend(VoteType.Free, 1, 2, out _));
        Assert.Equal(VoteRefusal.FreeVoteLimitExceeded, v.TrySpend(VoteType.Free, 1, 1, out _));
        Assert.Null(v.TrySpend(VoteType.Free, 2, 5, out _));
        Assert.Equal((0L, 0L), (v.FreeRemaining(1), v.FreeRemaining(2)));
    }

    [Fact]
    public void PaidVotesSpendTheWalletAndNeverTakeItBelowZero()
    {
        var v = Voter(balance: 4);

        Assert.Null(v.TrySpend(VoteType.Paid, 1, 3, out _));
        Assert.Equal(VoteRefusal.InsufficientVoteBalance, v.TrySpend(VoteType.Paid, 1, 2, out _));
        Assert.Equal(1, v.RemainingFor(VoteRefusal.InsufficientVoteBalance, 1));
    }

    [Fact]
    public void SmsVotesStopAtFiftyADay()
    {
        var v = Voter(sms: 45);

        Assert.Equal(VoteRefusal.SmsLimitExceeded, v.TrySpend(VoteType.Sms, 1, 6, out _));
        Assert.Null(v.TrySpend(VoteType.Sms, 1, 5, out _));
        Assert.Equal(0, v.SmsRemainingToday);
    }

    [Fact]
    public void ABundleVoteDrawsOnTheOldestBundleThatHoldsItWhole()
    {
        var v = Voter(bundles: [new BundleBalance(1, 2), new BundleBalance(2, 5)]);

        Assert.Null(v.TrySpend(VoteType.Bundle, 1, 3, out var first));
        Assert.Null(v.TrySpend(VoteType.Bundle, 1, 2, out var second));
        Assert.Equal(VoteRefusal.InsufficientBundleVotes, v.TrySpend(VoteType.Bundle, 1, 3, out _));
        Assert.Equal((2L, 1L, 2L), (first, second, v.BundleVotes));
    }

    [Theory]
    [InlineData(VoteType.Free)]
    [InlineData(VoteType.Paid)]
    [InlineData(VoteType.Bundle)]
    [InlineData(VoteType.Sms)]
    public void GivingBackUndoesASpendExactly(VoteType type)
    {
        var v = Voter(balance: 5, sms: 10, freeUsed: 1, new BundleBalance(9, 5));
        var before = (v.FreeRemaining(1), v.Balance, v.SmsRemainingToday, v.BundleVotes);

        Assert.Null(v.TrySpend(type, 1, 2, out var bundle));
        v.GiveBack(type, 1, 2, bundle);

        Assert.Equal(before, (v.FreeRemaining(1), v.Balance, v.SmsRemainingToday, v.BundleVotes));
    }

    [Fact]
    public void AnUnknownVoteTypeIsAnErrorNotASilentBundleVote() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Voter(balance: 5).TrySpend((VoteType)42, 1, 1, out _));
}
