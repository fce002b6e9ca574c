using System.Globalization;

namespace Voting.Domain.Results;

/// <summary>Short vote counts for screens: 999, 1.2K, 3.4M, 1.1B.</summary>
public static class VoteCountFormat
{
    private static readonly (long Unit, char Suffix)[] Units = [(1_000_000_000, 'B'), (1_000_000, 'M'), (1_000, 'K')];

    /// <summary>
    /// Below 1,000 the count as is; from 1,000 the largest unit (K, M, B) that fits, with one
    /// decimal, truncated rather than rounded so a screen never shows more votes than were cast,
    /// and without a trailing ".0". Boundaries therefore stay in the lower unit until the next
    /// one is reached exactly: 999,999 is "999.9K", 1,000,000 is "1M"; there is no unit above B.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative.</exception>
    public static string Format(long votes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(votes);
        foreach (var (unit, suffix) in Units)
        {
            if (votes < unit)
                continue;
            var tenths = votes / (unit / 10);
            var whole = (tenths / 10).ToString(CultureInfo.InvariantCulture);
            var fraction = tenths % 10;
            return fraction == 0
                ? $"{whole}{suffix}"
                : $"{whole}.{fraction.ToString(CultureInfo.InvariantCulture)}{suffix}";
        }
        return votes.ToString(CultureInfo.InvariantCulture);
    }
}
