namespace Voting.Domain.Results;

/// <summary>How far each contestant moved between two rankings.</summary>
public static class RankChange
{
    /// <summary>
    /// For every contestant in <paramref name="current"/>, the places gained (positive: from 3rd
    /// to 1st is +2) or lost (negative) since <paramref name="previous"/>; 0 for a contestant the
    /// previous ranking did not hold. Contestants only in the previous ranking are left out.
    /// </summary>
    /// <exception cref="ArgumentException">A contestant appears twice in one ranking.</exception>
    public static IReadOnlyDictionary<ContestantId, int> Between(
        IReadOnlyList<RankedTally> previous, IReadOnlyList<RankedTally> current)
    {
        var previousRanks = RanksOf(previous, nameof(previous));
        var changes = new Dictionary<ContestantId, int>(current.Count);
        foreach (var tally in current)
        {
            var change = previousRanks.TryGetValue(tally.Contestant, out var before) ? before - tally.Rank : 0;
            if (!changes.TryAdd(tally.Contestant, change))
                throw Duplicate(tally.Contestant, nameof(current));
        }
        return changes;
    }

    private static Dictionary<ContestantId, int> RanksOf(IReadOnlyList<RankedTally> ranking, string parameter)
    {
        var ranks = new Dictionary<ContestantId, int>(ranking.Count);
        foreach (var tally in ranking)
        {
            if (!ranks.TryAdd(tally.Contestant, tally.Rank))
                throw Duplicate(tally.Contestant, parameter);
        }
        return ranks;
    }

    private static ArgumentException Duplicate(ContestantId contestant, string parameter) =>
        new($"Contestant {contestant} appears twice in the ranking.", parameter);
}
