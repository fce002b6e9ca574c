using Voting.Domain.Results;

namespace Voting.Domain.Tests.Results;

public sealed class LiveSnapshotTests
{
    private static readonly ContestantId Ana = new(11), Ben = new(12), Cleo = new(13);
    private static readonly Dictionary<ContestantId, long> NoVotes = [];

    private static ContestantTally Tally(ContestantId id, long votes) => new(id, (int)id.Value - 10, votes);

    [Fact]
    public void TheFirstSnapshotRanksFormatsAndClassifiesEveryContestantWithNoChange()
    {
        var snapshot = LiveSnapshot.Build(
            [Tally(Ana, 1_250), Tally(Ben, 3_750), Tally(Cleo, 0)],
            previousRanking: null,
            lastFiveMinutes: new Dictionary<ContestantId, long> { [Ana] = 130, [Ben] = 100 },
            previousFiveMinutes: new Dictionary<ContestantId, long> { [Ana] = 100, [Ben] = 100, [Cleo] = 10 },
            secondsRemaining: 1_795);

        Assert.Equal(
        [
            new LiveContestantResult(Ben, 3_750, "3.7K", 75m, 1, 0, VoteTrend.Stable),
            new LiveContestantResult(Ana, 1_250, "1.2K", 25m, 2, 0, VoteTrend.RisingFast),
            new LiveContestantResult(Cleo, 0, "0", 0m, 3, 0, VoteTrend.FallingFast),
        ], snapshot.Results);
        Assert.Equal(5_000, snapshot.TotalVotes);
        Assert.Equal(1_795, snapshot.TimeRemaining);
    }

    [Fact]
    public void ALaterSnapshotShowsThePlacesGainedAndLostSinceThePreviousOne()
    {
        var first = LiveSnapshot.Build([Tally(Ana, 30), Tally(Ben, 20), Tally(Cleo, 10)], null, NoVotes, NoVotes, 600);

        var second = LiveSnapshot.Build(
            [Tally(Ana, 30), Tally(Ben, 20), Tally(Cleo, 40)], first.Ranking,
            new Dictionary<ContestantId, long> { [Cleo] = 30 }, new Dictionary<ContestantId, long> { [Cleo] = 27 }, 590);

        Assert.Equal([Cleo, Ana, Ben], second.Results.Select(r => r.ContestantId));
        Assert.Equal([2, -1, -1], second.Results.Select(r => r.Change));
        Assert.Equal([VoteTrend.Rising, VoteTrend.Stable, VoteTrend.Stable], second.Results.Select(r => r.Trend));
        Assert.Equal([44.44m, 33.33m, 22.22m], second.Results.Select(r => r.Percentage));
        Assert.Equal(90, second.TotalVotes);
    }

    [Fact]
    public void TheRankingHandedOnIsTheOneTheResultsCalculatorGives()
    {
        IReadOnlyList<ContestantTally> tallies = [Tally(Ana, 5), Tally(Ben, 5), Tally(Cleo, 7)];

        var snapshot = LiveSnapshot.Build(tallies, null, NoVotes, NoVotes, 0);

        Assert.Equal(ResultsCalculator.Rank(tallies), snapshot.Ranking);
        Assert.Equal(snapshot.Ranking.Select(r => (r.Contestant, r.Rank)), snapshot.Results.Select(r => (r.ContestantId, r.Rank)));
    }

    [Fact]
    public void AContestantAbsentFromThePreviousSnapshotHasNoChange()
    {
        var first = LiveSnapshot.Build([Tally(Ana, 10)], null, NoVotes, NoVotes, 60);

        var second = LiveSnapshot.Build([Tally(Ana, 10), Tally(Ben, 20)], first.Ranking, NoVotes, NoVotes, 50);

        Assert.Equal([(Ben, 0), (Ana, -1)], second.Results.Select(r => (r.ContestantId, r.Change)));
    }

    [Theory]
    [InlineData(1_800, 1_800)]
    [InlineData(1, 1)]
    [InlineData(0, 0)]
    [InlineData(-3, 0)]
    public void TimeRemainingIsTheSecondsLeftAndNeverNegative(long secondsRemaining, long expected) =>
        Assert.Equal(expected, LiveSnapshot.Build([Tally(Ana, 1)], null, NoVotes, NoVotes, secondsRemaining).TimeRemaining);

    [Fact]
    public void NoContestantsGiveAnEmptySnapshot()
    {
        var snapshot = LiveSnapshot.Build([], null, NoVotes, NoVotes, 30);

        Assert.Empty(snapshot.Results);
        Assert.Equal(0, snapshot.TotalVotes);
    }

    [Fact]
    public void MillionsOfVotesAreFormattedTruncated()
    {
        var snapshot = LiveSnapshot.Build([Tally(Ana, 3_499_999), Tally(Ben, 12_000_000)], null, NoVotes, NoVotes, 10);

        Assert.Equal(["12M", "3.4M"], snapshot.Results.Select(r => r.FormattedCount));
        Assert.Equal(15_499_999, snapshot.TotalVotes);
    }
}
