namespace Voting.Domain.Results;

/// <summary>One contestant's tally as kept by the store.</summary>
public sealed record ContestantTally(ContestantId Contestant, int BallotNumber, long Votes);

/// <summary>A contestant's place in the results.</summary>
public sealed record RankedTally(ContestantId Contestant, int BallotNumber, long Votes, decimal Percentage, int Rank);

/// <summary>Ranks and percentages from tallies.</summary>
public static class ResultsCalculator
{
    /// <summary>
    /// Sorts by votes (most first), ties broken by ballot number, ranks 1..n in that order, and
    /// gives each a percentage of the total with two decimals (half away from zero).
    /// </summary>
    public static IReadOnlyList<RankedTally> Rank(IEnumerable<ContestantTally> tallies)
    {
        var ordered = tallies.OrderByDescending(t => t.Votes).ThenBy(t => t.BallotNumber).ToList();
        var total = ordered.Sum(t => t.Votes);
        var ranked = new List<RankedTally>(ordered.Count);
        for (var i = 0; i < ordered.Count; i++)
        {
            var t = ordered[i];
            ranked.Add(new RankedTally(t.Contestant, t.BallotNumber, t.Votes, Percentage(t.Votes, total), i + 1));
        }
        return ranked;
    }

    /// <summary>
    /// Share of <paramref name="total"/> in percent, two decimals (half away from zero); 0 when
    /// total is 0. The result always carries scale 2, so it serializes as 12.50, not 12.5.
    /// </summary>
    public static decimal Percentage(long votes, long total) =>
        (total == 0 ? 0m : Math.Round(votes * 100m / total, 2, MidpointRounding.AwayFromZero)) + 0.00m;
}
