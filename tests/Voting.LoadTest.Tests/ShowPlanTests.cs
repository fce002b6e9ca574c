using Voting.LoadTest.ShowNight;

namespace Voting.LoadTest.Tests;

public sealed class ShowPlanTests
{
    private static ShowPlan Plan(int app = 1000, int sms = 100, double paid = 0.3, double bundle = 0.25, int seed = 7, int maxRequests = 5) =>
        ShowPlan.Create(app, sms, paid, bundle, contestants: 5, windowSeconds: 60, maxRequests, seed);

    [Fact]
    public void ThirtyPercentOfAppViewersPayAndAQuarterOfThemWithABundle()
    {
        var plan = Plan();
        Assert.Equal(700, plan.Count(VoteKind.Free));
        Assert.Equal(225, plan.Count(VoteKind.Paid));
        Assert.Equal(75, plan.Count(VoteKind.Bundle));
        Assert.Equal(100, plan.Count(VoteKind.Sms));
        Assert.All(plan.Kinds.Skip(1000), k => Assert.Equal(VoteKind.Sms, k));
    }

    [Fact]
    public void TheSameSeedGivesTheSamePlanAndAnotherSeedAnother()
    {
        Assert.Equal(Plan().Votes, Plan().Votes);
        Assert.NotEqual(Plan().Votes, Plan(seed: 8).Votes);
    }

    [Fact]
    public void NoPlannedVoteBreaksALimitTheServerEnforces()
    {
        var plan = Plan();
        foreach (var viewer in plan.Votes.GroupBy(v => v.Viewer))
        {
            var kind = plan.Kinds[viewer.Key];
            Assert.All(viewer, v => Assert.Equal(kind, v.Kind));
            Assert.InRange(viewer.Count(), 1, 5);
            if (kind == VoteKind.Free) Assert.InRange(viewer.Sum(v => v.VoteCount), 1, ShowPlan.MaxFreeVotes);
            if (kind == VoteKind.Sms)
            {
                Assert.InRange(viewer.Count(), 1, ShowPlan.MaxSmsTexts);
                Assert.All(viewer, v => Assert.InRange(v.VoteCount, 1, 10));
                Assert.True(viewer.Sum(v => v.VoteCount) <= 50);
            }
            Assert.All(viewer, v => Assert.InRange(v.VoteCount, 1, ShowPlan.MaxVotesPerRequest));
        }
    }

    [Fact]
    public void VotesFallInsideTheWindowBeforeItsLastTenthInTimeOrder()
    {
        var plan = Plan();
        Assert.All(plan.Votes, v => Assert.InRange(v.AtMs, 1_200, 54_000));
        Assert.Equal(plan.Votes.OrderBy(v => v.AtMs).Select(v => v.AtMs), plan.Votes.Select(v => v.AtMs));
        Assert.All(plan.Votes, v => Assert.InRange(v.Contestant, 0, 4));
    }

    [Fact]
    public void EveryViewerVotesAndWhatAPayerIsGivenIsWhatHeSpends()
    {
        var plan = Plan(maxRequests: 1);
        Assert.Equal(plan.Kinds.Count, plan.Votes.Count);
        var payer = plan.Votes.First(v => v.Kind == VoteKind.Paid);
        Assert.Equal(payer.VoteCount, plan.VotesOf(payer.Viewer));
        Assert.Equal(0, plan.VotesOf(plan.Kinds.Count + 5));
    }

    [Fact]
    public void EarlierBallotsDrawMoreVotes()
    {
        var plan = Plan(app: 5000, sms: 0);
        var first = plan.Votes.Count(v => v.Contestant == 0);
        var last = plan.Votes.Count(v => v.Contestant == 4);
        Assert.True(first > 2 * last, $"ballot 1 drew {first} requests, ballot 5 {last}");
    }
}
