namespace Voting.Domain.Results;

/// <summary>Where a contestant's votes are heading, for LIVE_RESULTS.</summary>
public enum VoteTrend
{
    /// <summary>Within ±5 % of the period before.</summary>
    Stable,
    /// <summary>More than 5 % and at most 20 % up.</summary>
    Rising,
    /// <summary>More than 20 % up, or votes after a period with none.</summary>
    RisingFast,
    /// <summary>More than 5 % and at most 20 % down.</summary>
    Falling,
    /// <summary>More than 20 % down.</summary>
    FallingFast,
}

/// <summary>Classifies votes in the last five minutes against the five minutes before.</summary>
public static class Trend
{
    /// <summary>
    /// <see cref="VoteTrend.RisingFast"/> above +20 %, <see cref="VoteTrend.Rising"/> above +5 %,
    /// <see cref="VoteTrend.FallingFast"/> below −20 %, <see cref="VoteTrend.Falling"/> below −5 %,
    /// otherwise <see cref="VoteTrend.Stable"/>; the bounds themselves (exactly +20 %, +5 %, −5 %,
    /// −20 %) fall to the calmer side. When the earlier period had no votes, any vote now is
    /// <see cref="VoteTrend.RisingFast"/> (an infinite rise) and none is <see cref="VoteTrend.Stable"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public static VoteTrend Classify(long lastFiveMinutes, long previousFiveMinutes)
    {
        GrowthRate.Validate(lastFiveMinutes, previousFiveMinutes);
        if (GrowthRate.Exceeds(lastFiveMinutes, previousFiveMinutes, 20))
            return VoteTrend.RisingFast;
        if (GrowthRate.Exceeds(lastFiveMinutes, previousFiveMinutes, 5))
            return VoteTrend.Rising;
        if (GrowthRate.FallsBelow(lastFiveMinutes, previousFiveMinutes, -20))
            return VoteTrend.FallingFast;
        if (GrowthRate.FallsBelow(lastFiveMinutes, previousFiveMinutes, -5))
            return VoteTrend.Falling;
        return VoteTrend.Stable;
    }

    /// <summary>The name on the wire: rising_fast, rising, stable, falling, falling_fast.</summary>
    public static string WireName(VoteTrend trend) => trend switch
    {
        VoteTrend.Stable => "stable",
        VoteTrend.Rising => "rising",
        VoteTrend.RisingFast => "rising_fast",
        VoteTrend.Falling => "falling",
        VoteTrend.FallingFast => "falling_fast",
        _ => throw new ArgumentOutOfRangeException(nameof(trend), trend, "Unknown trend."),
    };
}
