namespace Voting.Domain.Results;

/// <summary>One contestant's line in LIVE_RESULTS.</summary>
/// <param name="Change">Places gained (+) or lost (−) since the previous snapshot (the live feed passes the last one whose tallies differed).</param>
/// <param name="Trend">Wire name via <see cref="Results.Trend.WireName"/>.</param>
public sealed record LiveContestantResult(
    ContestantId ContestantId, long Votes, string FormattedCount, decimal Percentage, int Rank, int Change, VoteTrend Trend);

/// <summary>The data of one LIVE_RESULTS message.</summary>
/// <param name="Results">In rank order, first place first.</param>
/// <param name="TimeRemaining">Whole seconds until voting closes, never below 0.</param>
/// <param name="Ranking">This snapshot's ranking, to pass as the previous one to the next snapshot.</param>
public sealed record LiveSnapshot(
    IReadOnlyList<LiveContestantResult> Results, long TotalVotes, long TimeRemaining, IReadOnlyList<RankedTally> Ranking)
{
    /// <summary>
    /// Ranks <paramref name="tallies"/> with <see cref="ResultsCalculator.Rank"/>, compares the
    /// ranks with <paramref name="previousRanking"/> (null for the first snapshot: every change
    /// is 0) and classifies each contestant's trend from its votes in the last five minutes
    /// against the five before; a contestant missing from those maps had no votes then.
    /// A negative <paramref name="secondsRemaining"/> (the clock past the close before the
    /// server has closed the window) shows as 0.
    /// </summary>
    public static LiveSnapshot Build(
        IReadOnlyList<ContestantTally> tallies,
        IReadOnlyList<RankedTally>? previousRanking,
        IReadOnlyDictionary<ContestantId, long> lastFiveMinutes,
        IReadOnlyDictionary<ContestantId, long> previousFiveMinutes,
        long secondsRemaining)
    {
        var ranking = ResultsCalculator.Rank(tallies);
        var changes = RankChange.Between(previousRanking ?? [], ranking);
        var results = ranking
            .Select(r => new LiveContestantResult(
                r.Contestant,
                r.Votes,
                VoteCountFormat.Format(r.Votes),
                r.Percentage,
                r.Rank,
                changes[r.Contestant],
                Trend.Classify(
                    lastFiveMinutes.GetValueOrDefault(r.Contestant),
                    previousFiveMinutes.GetValueOrDefault(r.Contestant))))
            .ToList();
        return new LiveSnapshot(results, ranking.Sum(r => r.Votes), Math.Max(0, secondsRemaining), ranking);
    }
}
