using System.Globalization;
using Voting.Domain.Voting;

namespace Voting.Domain.Tests.Voting;

public sealed class VoteRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 13, 0, 0, TimeSpan.Zero);
    private static readonly ContestantId Contestant = new(7);
    private static readonly EpisodeWindow OpenWindow = new(new EpisodeId(1), EpisodeStates.Open, Now.AddMinutes(-5), Now.AddMinutes(5));
    private static readonly EpisodeWindow ClosedWindow = OpenWindow with { State = EpisodeStates.Closed };
    private static readonly LineupEntry InLineup = new(Contestant, "Sokha", 3, Eliminated: false);
    private static readonly LineupEntry EliminatedEntry = InLineup with { Eliminated = true };

    /// <summary>Everything <see cref="VoteRules.Check"/> looks at, so a test can vary one input at a time.</summary>
    private sealed record Attempt(VoteRequest Request, EpisodeWindow? Window, LineupEntry? Entry, bool ContestantExists, bool PhoneVerified)
    {
        public VoteRefusal? Check() => VoteRules.Check(Request, Window, Entry, ContestantExists, PhoneVerified, Now);

        public Attempt As(VoteType type, int count) => this with { Request = Request with { Type = type, Count = count } };
    }

    private static readonly Attempt Acceptable = new(new VoteRequest(Contestant, VoteType.Free, 1), OpenWindow, InLineup, ContestantExists: true, PhoneVerified: true);

    [Theory]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(1, true)]
    [InlineData(1000, true)]
    [InlineData(1001, false)]
    [InlineData(long.MaxValue, false)]
    public void VoteCountMustBeBetweenOneAndOneThousand(long count, bool valid) =>
        Assert.Equal(valid, VoteRules.IsValidCount(count));

    [Theory]
    [InlineData(VoteType.Free, 1, 2)]
    [InlineData(VoteType.Free, 5, 10)]
    [InlineData(VoteType.Paid, 1, 3)]
    [InlineData(VoteType.Paid, 3, 9)]
    [InlineData(VoteType.Paid, 1000, 3000)]
    [InlineData(VoteType.Bundle, 2, 4)]
    [InlineData(VoteType.Sms, 2, 4)]
    [InlineData(VoteType.Sms, 50, 100)]
    public void LoyaltyPointsAreTwoPerVoteAndHalfAgainForPaidVotes(VoteType type, int count, int points) =>
        Assert.Equal(points, VoteRules.LoyaltyPoints(type, count));

    [Theory]
    [InlineData("2026-11-21T16:59:59Z", "2026-11-21")]
    [InlineData("2026-11-21T17:00:00Z", "2026-11-22")]
    [InlineData("2026-11-20T17:00:00Z", "2026-11-21")]
    [InlineData("2026-11-21T00:00:00+07:00", "2026-11-21")]
    [InlineData("2026-11-21T23:30:00-05:00", "2026-11-22")]
    [InlineData("2026-12-31T17:00:00Z", "2027-01-01")]
    public void ThePhnomPenhDayTurnsOverAtFiveInTheAfternoonUtc(string moment, string day) =>
        Assert.Equal(day, VoteRules.PhnomPenhDay(DateTimeOffset.Parse(moment, CultureInfo.InvariantCulture)));

    /// <summary>
    /// Starts from a request that breaks every rule, then satisfies the rules one by one in
    /// their order of precedence: each step must surface the next refusal and nothing later.
    /// </summary>
    [Theory]
    [InlineData(0, VoteRefusal.InvalidVoteCount)]
    [InlineData(1, VoteRefusal.EpisodeNotFound)]
    [InlineData(2, VoteRefusal.ContestantNotFound)]
    [InlineData(3, VoteRefusal.InvalidContestant)]
    [InlineData(4, VoteRefusal.ContestantEliminated)]
    [InlineData(5, VoteRefusal.VotingClosed)]
    [InlineData(6, VoteRefusal.PhoneNotVerified)]
    [InlineData(7, VoteRefusal.SmsLimitExceeded)]
    [InlineData(8, null)]
    public void EachRefusalTakesPrecedenceOverEveryLaterOne(int rulesSatisfied, VoteRefusal? expected)
    {
        Func<Attempt, Attempt>[] satisfy =
        [
            a => a.As(VoteType.Sms, VoteRules.SmsVotesPerDay + 1), // a valid count, still over the SMS limit
            a => a with { Window = ClosedWindow },
            a => a with { ContestantExists = true },
            a => a with { Entry = EliminatedEntry },
            a => a with { Entry = InLineup },
            a => a with { Window = OpenWindow },
            a => a with { PhoneVerified = true },
            a => a.As(VoteType.Sms, VoteRules.SmsVotesPerDay),
        ];
        var brokenEverywhere = new Attempt(new VoteRequest(Contestant, VoteType.Sms, 0), Window: null, Entry: null, ContestantExists: false, PhoneVerified: false);

        var attempt = satisfy.Take(rulesSatisfied).Aggregate(brokenEverywhere, (a, step) => step(a));

        Assert.Equal(expected, attempt.Check());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public void AnOutOfRangeCountIsRefusedEvenWhenEverythingElseIsFine(int count) =>
        Assert.Equal(VoteRefusal.InvalidVoteCount, Acceptable.As(VoteType.Paid, count).Check());

    [Fact]
    public void AMissingEpisodeIsRefused() =>
        Assert.Equal(VoteRefusal.EpisodeNotFound, (Acceptable with { Window = null }).Check());

    [Fact]
    public void AnUnknownContestantIsRefusedAsNotFound() =>
        Assert.Equal(VoteRefusal.ContestantNotFound, (Acceptable with { ContestantExists = false, Entry = null }).Check());

    [Fact]
    public void AContestantOutsideTheLineupIsRefusedAsInvalid() =>
        Assert.Equal(VoteRefusal.InvalidContestant, (Acceptable with { Entry = null }).Check());

    [Fact]
    public void AnEliminatedContestantIsRefused() =>
        Assert.Equal(VoteRefusal.ContestantEliminated, (Acceptable with { Entry = EliminatedEntry }).Check());

    [Theory]
    [InlineData(EpisodeStates.Closed, -300, 300)]
    [InlineData(EpisodeStates.Idle, -300, 300)]
    [InlineData(EpisodeStates.Open, 1, 300)]
    [InlineData(EpisodeStates.Open, -300, 0)]
    [InlineData(EpisodeStates.Open, -300, -1)]
    public void AVoteOutsideAnOpenWindowIsRefusedAsClosed(string state, int startSeconds, int endSeconds)
    {
        var window = new EpisodeWindow(new EpisodeId(1), state, Now.AddSeconds(startSeconds), Now.AddSeconds(endSeconds));

        Assert.Equal(VoteRefusal.VotingClosed, (Acceptable with { Window = window }).Check());
    }

    [Fact]
    public void AWindowWithoutStartOrEndIsClosed()
    {
        Assert.Equal(VoteRefusal.VotingClosed, (Acceptable with { Window = OpenWindow with { Start = null } }).Check());
        Assert.Equal(VoteRefusal.VotingClosed, (Acceptable with { Window = OpenWindow with { End = null } }).Check());
    }

    [Theory]
    [InlineData(6)]
    [InlineData(1000)]
    public void MoreThanFiveFreeVotesInOneRequestAreRefused(int count) =>
        Assert.Equal(VoteRefusal.FreeVoteLimitExceeded, Acceptable.As(VoteType.Free, count).Check());

    [Fact]
    public void SmsVotesNeedAVerifiedPhone() =>
        Assert.Equal(VoteRefusal.PhoneNotVerified, (Acceptable with { PhoneVerified = false }).As(VoteType.Sms, 1).Check());

    [Theory]
    [InlineData(51)]
    [InlineData(1000)]
    public void MoreThanFiftySmsVotesInOneRequestAreRefused(int count) =>
        Assert.Equal(VoteRefusal.SmsLimitExceeded, Acceptable.As(VoteType.Sms, count).Check());

    [Theory]
    [InlineData(VoteType.Free, 1, true)]
    [InlineData(VoteType.Free, 5, false)]
    [InlineData(VoteType.Paid, 1, false)]
    [InlineData(VoteType.Paid, 1000, false)]
    [InlineData(VoteType.Bundle, 1, false)]
    [InlineData(VoteType.Bundle, 1000, true)]
    [InlineData(VoteType.Sms, 1, true)]
    [InlineData(VoteType.Sms, 50, true)]
    public void AWellFormedVoteInAnOpenWindowIsAccepted(VoteType type, int count, bool phoneVerified) =>
        Assert.Null((Acceptable with { PhoneVerified = phoneVerified }).As(type, count).Check());

    [Fact]
    public void AVoteAtTheExactStartOfTheWindowIsAccepted() =>
        Assert.Null((Acceptable with { Window = OpenWindow with { Start = Now } }).Check());
}
