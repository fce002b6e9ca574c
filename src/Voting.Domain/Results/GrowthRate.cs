namespace Voting.Domain.Results;

/// <summary>Compares two periods' vote counts in exact integer arithmetic.</summary>
internal static class GrowthRate
{
    /// <summary>Throws when either count is negative.</summary>
    public static void Validate(long now, long before)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(now);
        ArgumentOutOfRangeException.ThrowIfNegative(before);
    }

    // (now - before) / before > percent / 100, cross-multiplied: no rounding, and Int128 cannot
    // overflow for any pair of non-negative longs.
    public static bool Exceeds(long now, long before, int percent) =>
        ((Int128)now - before) * 100 > (Int128)before * percent;

    public static bool FallsBelow(long now, long before, int percent) =>
        ((Int128)now - before) * 100 < (Int128)before * percent;
}
