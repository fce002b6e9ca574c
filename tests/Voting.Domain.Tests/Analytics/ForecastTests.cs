using Voting.Domain.Analytics;
using Voting.Domain.Results;

namespace Voting.Domain.Tests.Analytics;

public sealed class ForecastTests
{
    private static readonly ContestantId A = new(1), B = new(2), C = new(3);
    private static readonly DateTimeOffset Start = new(2026, 6, 15, 20, 0, 0, TimeSpan.Zero);
    private static readonly long StartMinute = TrendWindows.MinuteOf(Start);

    [Fact]
    public void TheFinalTotalIsProjectedFromTheLastTenMinutesRates()
    {
        // 30 minutes in, 30 to go. A took 10 votes a minute lately, B 5; older minutes do not set the rate.
        var now = Start.AddMinutes(30);
        var minutes = new List<MinuteVotes> { new(A, StartMinute, 1_000), new(B, StartMinute, 2_000) };
        for (var m = 20; m < 30; m++)
        {
            minutes.Add(new(A, StartMinute + m, 10));
            minutes.Add(new(B, StartMinute + m, 5));
        }

        var o = Forecast.Project([new(A, 1_100), new(B, 2_050)], minutes, Start, Start.AddHours(1), now);

        Assert.Equal([1_100 + 300L, 2_050 + 150L], o.Contestants.Select(c => c.ProjectedVotes));
        Assert.Equal([10m, 5m], o.Contestants.Select(c => c.VotesPerMinute));
        Assert.Equal(3_600, o.EstimatedTotalVotes);
        Assert.Equal(B, o.ProjectedWinner);
    }

    [Fact]
    public void TheMinuteInProgressCountsOverTheTimeElapsedAndNothingBeforeTheOpening()
    {
        // 90 s after opening: 90 votes over 1.5 minutes is 60 a minute; 28.5 minutes to go.
        var now = Start.AddSeconds(90);
        var o = Forecast.Project([new(A, 90)], [new(A, StartMinute, 60), new(A, StartMinute + 1, 30)], Start, Start.AddMinutes(30), now);

        Assert.Equal(60m, o.Contestants[0].VotesPerMinute);
        Assert.Equal(90 + 1_710L, o.EstimatedTotalVotes);
        Assert.Equal(1m, o.Contestants[0].WinProbability);
        Assert.Equal(100, o.ConfidenceLevel);
    }

    [Fact]
    public void ProbabilitiesSumToOneAndFollowTheLead()
    {
        var p = Forecast.WinProbabilities([5_000, 4_900, 100], [500, 480, 20], remaining: 2_000);

        Assert.Equal(1m, p.Sum());
        Assert.True(p[0] > p[1] && p[1] > p[2], string.Join(", ", p));
        Assert.True(p[2] < 0.001m);
    }

    [Fact]
    public void ALeadNoRemainingVoteCanCloseIsCertain()
    {
        Assert.Equal([1m, 0m], Forecast.WinProbabilities([1_000, 10], [50, 50], remaining: 100));
        Assert.Equal([1m, 0m], Forecast.WinProbabilities([7, 3], [1, 1], remaining: 0));
    }

    [Fact]
    public void ATieWithEqualRatesIsEvenAndNoVotesAtAllIsEven()
    {
        Assert.Equal([0.5m, 0.5m], Forecast.WinProbabilities([100, 100], [10, 10], remaining: 1_000));
        var none = Forecast.WinProbabilities([0, 0, 0], [0, 0, 0], remaining: 0);
        Assert.Equal(1m, none.Sum());
        Assert.Equal(0.3333m, none[1]);
    }

    [Fact]
    public void MoreVotesToComeMakeTheTrailerLessHopeless()
    {
        var early = Forecast.WinProbabilities([120, 100], [60, 50], remaining: 10_000);
        var late = Forecast.WinProbabilities([120, 100], [60, 50], remaining: 10);

        Assert.True(early[1] > late[1], $"{early[1]} vs {late[1]}");
        Assert.True(early[0] > 0.5m && late[0] > early[0]);
    }

    [Fact]
    public void WithoutRecentVotesTheOverallSharesSplitWhatIsLeft()
    {
        var p = Forecast.WinProbabilities([10, 30], [0, 0], remaining: 100);

        Assert.True(p[1] > 0.9m);
        Assert.Equal(1m, p.Sum());
    }

    [Fact]
    public void ConfidenceIsTheProjectedWinnersChanceInPercent()
    {
        var now = Start.AddMinutes(10);
        var minutes = Enumerable.Range(0, 10).SelectMany(m => new MinuteVotes[] { new(A, StartMinute + m, 50), new(B, StartMinute + m, 49), new(C, StartMinute + m, 1) });

        var o = Forecast.Project([new(A, 500), new(B, 490), new(C, 10)], [.. minutes], Start, Start.AddMinutes(20), now);

        Assert.Equal(A, o.ProjectedWinner);
        Assert.Equal((int)Math.Round(o.Contestants[0].WinProbability * 100), o.ConfidenceLevel);
        Assert.InRange(o.ConfidenceLevel, 51, 99);
        Assert.Equal(1m, o.Contestants.Sum(c => c.WinProbability));
    }
}
