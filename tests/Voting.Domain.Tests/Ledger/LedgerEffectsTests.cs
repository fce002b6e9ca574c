using Voting.Domain.Ledger;
using Voting.Domain.Voting;

namespace Voting.Domain.Tests.Ledger;

public sealed class LedgerEffectsTests
{
    // 2025-06-14 23:30 UTC is 06:30 on the 15th in Phnom Penh.
    private static readonly long At = new DateTimeOffset(2025, 6, 14, 23, 30, 15, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private static CountedVote Vote(VoteType type, int count = 3) => new(Voter: 7, Episode: 2, Contestant: 5, type, count, At, Bundle: type == VoteType.Bundle ? 11 : 0);

    public static TheoryData<VoteType, LedgerDelta> Spending => new()
    {
        { VoteType.Free, new VoterEpisodeDelta(7, 2, 3, 0, 0) },
        { VoteType.Paid, new BalanceDelta(7, -3) },
        { VoteType.Bundle, new BundleDelta(11, -3) },
        { VoteType.Sms, new SmsUseDelta(7, "2025-06-15", 3) },
    };

    [Theory]
    [MemberData(nameof(Spending))]
    public void AVoteCountsInEveryTallyAndSpendsFromItsOwnAllowance(VoteType type, LedgerDelta spent)
    {
        var deltas = LedgerEffects.OfVote(Vote(type)).ToList();

        Assert.Equal(
        [
            new TallyDelta(2, 5, type, 3),
            new MinuteTallyDelta(2, At / 60_000, 5, 3, At),
            new HourlyTallyDelta(2, At / 3_600_000, 3),
            new VoterEpisodeDelta(7, 2, 0, type == VoteType.Paid ? 3 : 0, 3, type == VoteType.Paid ? 9 : 6),
            new VoterContestantDelta(7, 2, 5, 3),
            spent,
        ], deltas);
    }

    [Theory]
    [MemberData(nameof(Spending))]
    public void AVoidWithRefundIsTheExactOppositeOfItsVote(VoteType type, LedgerDelta spent)
    {
        var vote = LedgerEffects.OfVote(Vote(type)).ToList();
        var undone = LedgerEffects.OfVoid(Vote(type), refund: true).ToList();

        Assert.Equal(vote.Count, undone.Count);
        Assert.Contains(Negated(spent), undone);
        Assert.All(vote.Zip(undone), pair => Assert.Equal(Negated(pair.First), pair.Second));
    }

    [Theory]
    [MemberData(nameof(Spending))]
    public void AVoidWithoutRefundTakesTheVotesOutOfTheCountButLeavesTheAllowanceSpent(VoteType type, LedgerDelta spent)
    {
        var undone = LedgerEffects.OfVoid(Vote(type), refund: false).ToList();

        Assert.Equal(5, undone.Count);
        Assert.DoesNotContain(Negated(spent), undone);
        Assert.Contains(new TallyDelta(2, 5, type, -3), undone);
        Assert.Contains(new VoterEpisodeDelta(7, 2, 0, type == VoteType.Paid ? -3 : 0, -3, type == VoteType.Paid ? -9 : -6), undone);
        Assert.Contains(new VoterContestantDelta(7, 2, 5, -3), undone);
    }

    [Fact]
    public void AnSmsVoteIsGivenBackOnThePhnomPenhDayItWasCastEvenIfVoidedLater() =>
        Assert.Contains(new SmsUseDelta(7, "2025-06-15", -3), LedgerEffects.OfVoid(Vote(VoteType.Sms), refund: true));

    [Fact]
    public void AWalletEntryMovesOnlyTheWalletAndOnlyARefundDebitMayOverdrawIt()
    {
        Assert.Equal([new BalanceDelta(7, 20)], LedgerEffects.OfWalletEntry(7, 20));
        Assert.Equal([new BalanceDelta(7, -20, MayOverdraw: true)], LedgerEffects.OfWalletEntry(7, -20, mayOverdraw: true));
    }

    private static LedgerDelta Negated(LedgerDelta d) => d switch
    {
        TallyDelta t => t with { Votes = -t.Votes },
        MinuteTallyDelta m => m with { Votes = -m.Votes },
        HourlyTallyDelta h => h with { Votes = -h.Votes },
        VoterEpisodeDelta v => v with { FreeUsed = -v.FreeUsed, PaidCast = -v.PaidCast, VotesCast = -v.VotesCast, Points = -v.Points },
        VoterContestantDelta c => c with { Votes = -c.Votes },
        BalanceDelta b => b with { Votes = -b.Votes },
        BundleDelta b => b with { Votes = -b.Votes },
        SmsUseDelta s => s with { Votes = -s.Votes },
        _ => throw new ArgumentOutOfRangeException(nameof(d)),
    };
}
