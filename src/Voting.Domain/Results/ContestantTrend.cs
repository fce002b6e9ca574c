namespace Voting.Domain.Results;

/// <summary>How a contestant is trending, for the contestant channel's detailed_update.</summary>
public enum ContestantTrending
{
    /// <summary>Within ±10 % of the hour before.</summary>
    Stable,
    /// <summary>More than 50 % up, or votes after an hour with none.</summary>
    Hot,
    /// <summary>More than 10 % and at most 50 % up.</summary>
    Rising,
    /// <summary>More than 10 % down.</summary>
    Falling,
}

/// <summary>Classifies votes in the last hour against the hour before.</summary>
public static class ContestantTrend
{
    /// <summary>
    /// <see cref="ContestantTrending.Hot"/> above +50 %, <see cref="ContestantTrending.Rising"/>
    /// above +10 %, <see cref="ContestantTrending.Falling"/> below −10 %, otherwise
    /// <see cref="ContestantTrending.Stable"/>; the bounds themselves fall to the calmer side.
    /// The bands are wider than LIVE_RESULTS' because an hour's swing is slower than five
    /// minutes', and there is no "falling fast": a fan page need not dramatise a decline. When
    /// the hour before had no votes, any vote now is hot and none is stable.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public static ContestantTrending Classify(long lastHour, long hourBefore)
    {
        GrowthRate.Validate(lastHour, hourBefore);
        if (GrowthRate.Exceeds(lastHour, hourBefore, 50))
            return ContestantTrending.Hot;
        if (GrowthRate.Exceeds(lastHour, hourBefore, 10))
            return ContestantTrending.Rising;
        if (GrowthRate.FallsBelow(lastHour, hourBefore, -10))
            return ContestantTrending.Falling;
        return ContestantTrending.Stable;
    }

    /// <summary>The name on the wire: hot, rising, stable, falling.</summary>
    public static string WireName(ContestantTrending trending) => trending switch
    {
        ContestantTrending.Stable => "stable",
        ContestantTrending.Hot => "hot",
        ContestantTrending.Rising => "rising",
        ContestantTrending.Falling => "falling",
        _ => throw new ArgumentOutOfRangeException(nameof(trending), trending, "Unknown trending."),
    };
}
