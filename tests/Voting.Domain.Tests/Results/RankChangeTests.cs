using Voting.Domain.Results;

namespace Voting.Domain.Tests.Results;

public sealed class RankChangeTests
{
    private static ContestantId Id(long value) => new(value);

    // Ballot numbers equal the ids, so a ranking reads as ids in place order.
    private static IReadOnlyList<RankedTally> Ranking(params long[] idsInPlaceOrder) =>
        [.. idsInPlaceOrder.Select((id, i) => new RankedTally(Id(id), (int)id, 100 - i, 0m, i + 1))];

    [Fact]
    public void AContestantWhoClimbsFromThirdToFirstGainsTwoAndThoseOvertakenLoseOneEach()
    {
        var changes = RankChange.Between(Ranking(1, 2, 3), Ranking(3, 1, 2));

        Assert.Equal(2, changes[Id(3)]);
        Assert.Equal(-1, changes[Id(1)]);
        Assert.Equal(-1, changes[Id(2)]);
    }

    [Fact]
    public void AnUnchangedRankingHasNoChanges()
    {
        var changes = RankChange.Between(Ranking(1, 2, 3), Ranking(1, 2, 3));

        Assert.All(changes.Values, change => Assert.Equal(0, change));
        Assert.Equal(3, changes.Count);
    }

    [Fact]
    public void WithNoPreviousRankingEveryoneHasZeroChange()
    {
        var changes = RankChange.Between([], Ranking(2, 1));

        Assert.Equal(new Dictionary<ContestantId, int> { [Id(2)] = 0, [Id(1)] = 0 }, changes);
    }

    [Fact]
    public void AContestantNewToTheRankingHasZeroChangeWhileTheOnesPushedDownLoseAPlace()
    {
        var changes = RankChange.Between(Ranking(1, 2), Ranking(9, 1, 2));

        Assert.Equal(0, changes[Id(9)]);
        Assert.Equal(-1, changes[Id(1)]);
        Assert.Equal(-1, changes[Id(2)]);
    }

    [Fact]
    public void AContestantWhoLeftTheRankingIsLeftOutAndThoseBelowGainAPlace()
    {
        var changes = RankChange.Between(Ranking(1, 2, 3), Ranking(1, 3));

        Assert.False(changes.ContainsKey(Id(2)));
        Assert.Equal(0, changes[Id(1)]);
        Assert.Equal(1, changes[Id(3)]);
    }

    [Fact]
    public void AReversedRankingOfFourMovesTheEndsByThreeAndTheMiddleByOne()
    {
        var changes = RankChange.Between(Ranking(1, 2, 3, 4), Ranking(4, 3, 2, 1));

        Assert.Equal([3, 1, -1, -3], new[] { 4L, 3, 2, 1 }.Select(id => changes[Id(id)]));
    }

    [Fact]
    public void ChangesFollowTheRanksComputedByTheResultsCalculator()
    {
        var before = ResultsCalculator.Rank([new(Id(1), 1, 50), new(Id(2), 2, 30), new(Id(3), 3, 20)]);
        var after = ResultsCalculator.Rank([new(Id(1), 1, 50), new(Id(2), 2, 30), new(Id(3), 3, 51)]);

        var changes = RankChange.Between(before, after);

        Assert.Equal(new Dictionary<ContestantId, int> { [Id(3)] = 2, [Id(1)] = -1, [Id(2)] = -1 }, changes);
    }

    [Fact]
    public void AContestantTwiceInTheCurrentRankingIsRefused() =>
        Assert.Throws<ArgumentException>("current", () => RankChange.Between(Ranking(1), Ranking(1, 1)));

    [Fact]
    public void AContestantTwiceInThePreviousRankingIsRefused() =>
        Assert.Throws<ArgumentException>("previous", () => RankChange.Between(Ranking(2, 2), Ranking(2)));
}
