using System.Globalization;
using Voting.Domain.Results;

namespace Voting.Domain.Tests.Results;

public sealed class ResultsCalculatorTests
{
    private static ContestantTally Tally(int ballot, long votes) => new(new ContestantId(100 + ballot), ballot, votes);

    [Fact]
    public void RanksByVotesMostFirstWithPercentagesOfTheTotal()
    {
        var ranked = ResultsCalculator.Rank([Tally(1, 10), Tally(2, 30), Tally(3, 20)]);

        Assert.Equal(
        [
            new RankedTally(new ContestantId(102), 2, 30, 50m, 1),
            new RankedTally(new ContestantId(103), 3, 20, 33.33m, 2),
            new RankedTally(new ContestantId(101), 1, 10, 16.67m, 3),
        ], ranked);
    }

    [Fact]
    public void TiesAreBrokenByTheLowerBallotNumberAndStillGetDistinctRanks()
    {
        var ranked = ResultsCalculator.Rank([Tally(3, 1), Tally(1, 1), Tally(4, 2), Tally(2, 1)]);

        Assert.Equal([4, 1, 2, 3], ranked.Select(r => r.BallotNumber));
        Assert.Equal([1, 2, 3, 4], ranked.Select(r => r.Rank));
    }

    [Fact]
    public void ThreeEqualTalliesAreAThirdEachToTwoDecimals()
    {
        var ranked = ResultsCalculator.Rank([Tally(1, 1), Tally(2, 1), Tally(3, 1)]);

        Assert.All(ranked, r => Assert.Equal(33.33m, r.Percentage));
    }

    [Fact]
    public void TwoOfThreeVotesRoundUpToSixtySixPointSixSeven()
    {
        var ranked = ResultsCalculator.Rank([Tally(1, 1), Tally(2, 2)]);

        Assert.Equal([66.67m, 33.33m], ranked.Select(r => r.Percentage));
    }

    [Fact]
    public void OneOfEightVotesIsTwelvePointFive()
    {
        var ranked = ResultsCalculator.Rank([Tally(1, 1), Tally(2, 7)]);

        Assert.Equal([87.5m, 12.5m], ranked.Select(r => r.Percentage));
    }

    [Fact]
    public void WithNoVotesEveryoneHasZeroPercentAndTheBallotOrderDecides()
    {
        var ranked = ResultsCalculator.Rank([Tally(2, 0), Tally(3, 0), Tally(1, 0)]);

        Assert.Equal([1, 2, 3], ranked.Select(r => r.BallotNumber));
        Assert.Equal([1, 2, 3], ranked.Select(r => r.Rank));
        Assert.All(ranked, r => Assert.Equal(0m, r.Percentage));
    }

    [Fact]
    public void NoTalliesGiveNoResults() => Assert.Empty(ResultsCalculator.Rank([]));

    [Theory]
    [InlineData(1, 3, "33.33")]
    [InlineData(2, 3, "66.67")]
    [InlineData(1, 8, "12.5")]
    [InlineData(1, 32, "3.13")]
    [InlineData(1, 160, "0.63")]
    [InlineData(1, 1600, "0.06")]
    [InlineData(5, 5, "100")]
    [InlineData(0, 5, "0")]
    [InlineData(0, 0, "0")]
    [InlineData(1, 3_000_000_000, "0")]
    public void PercentagesHaveTwoDecimalsRoundedHalfAwayFromZero(long votes, long total, string expected) =>
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), ResultsCalculator.Percentage(votes, total));

    [Fact]
    public void RandomTalliesAlwaysRankConsistently()
    {
        var random = new Random(42);
        for (var iteration = 0; iteration < 200; iteration++)
        {
            var n = random.Next(0, 13);
            var ballots = Enumerable.Range(1, n).ToArray();
            random.Shuffle(ballots);
            // A small vote range in some iterations forces ties and all-zero tallies.
            var maxVotes = random.Next(2) == 0 ? 3 : 1_000_000;
            var tallies = ballots.Select(b => Tally(b, random.Next(0, maxVotes))).ToList();

            var ranked = ResultsCalculator.Rank(tallies);

            Assert.Equal(Enumerable.Range(1, n), ranked.Select(r => r.Rank).Order());
            Assert.Equal(tallies.Select(t => t.Contestant.Value).Order(), ranked.Select(r => r.Contestant.Value).Order());
            for (var i = 1; i < ranked.Count; i++)
            {
                Assert.True(ranked[i - 1].Votes >= ranked[i].Votes, $"iteration {iteration}: votes increase at {i}");
                if (ranked[i - 1].Votes == ranked[i].Votes)
                    Assert.True(ranked[i - 1].BallotNumber < ranked[i].BallotNumber, $"iteration {iteration}: tie not broken by ballot at {i}");
            }
            var total = tallies.Sum(t => t.Votes);
            var sum = ranked.Sum(r => r.Percentage);
            if (total > 0)
                Assert.True(Math.Abs(sum - 100m) <= 0.01m * n, $"iteration {iteration}: percentages sum to {sum}");
            else
                Assert.Equal(0m, sum);
        }
    }
}
