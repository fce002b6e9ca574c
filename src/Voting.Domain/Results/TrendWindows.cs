namespace Voting.Domain.Results;

/// <summary>A contestant's votes committed in one clock minute (unix minutes).</summary>
public sealed record MinuteVotes(ContestantId Contestant, long Minute, long Votes);

/// <summary>
/// The periods trends compare, summed from per-minute tallies. Only whole minutes count: the
/// minute in progress is left out, or a steady stream of votes would look like a fall at the
/// start of every minute.
/// </summary>
/// <param name="LastFiveMinutes">The five whole minutes before the reference minute.</param>
/// <param name="PreviousFiveMinutes">The five minutes before those.</param>
/// <param name="LastHour">The sixty whole minutes before the reference minute.</param>
/// <param name="PreviousHour">The sixty minutes before those.</param>
public sealed record TrendWindows(
    IReadOnlyDictionary<ContestantId, long> LastFiveMinutes,
    IReadOnlyDictionary<ContestantId, long> PreviousFiveMinutes,
    IReadOnlyDictionary<ContestantId, long> LastHour,
    IReadOnlyDictionary<ContestantId, long> PreviousHour)
{
    /// <summary>The first minute <see cref="From"/> reads for a reference minute: older ones are never needed.</summary>
    public static long FirstMinuteNeeded(long referenceMinute) => referenceMinute - 120;

    /// <summary>The unix minute a moment falls in.</summary>
    public static long MinuteOf(DateTimeOffset moment) => Math.DivRem(moment.ToUnixTimeMilliseconds(), 60_000, out var r) - (r < 0 ? 1 : 0);

    /// <summary>Sums <paramref name="minutes"/> into the four periods that end before <paramref name="referenceMinute"/>.</summary>
    public static TrendWindows From(IEnumerable<MinuteVotes> minutes, long referenceMinute)
    {
        var last5 = new Dictionary<ContestantId, long>();
        var prev5 = new Dictionary<ContestantId, long>();
        var lastHour = new Dictionary<ContestantId, long>();
        var prevHour = new Dictionary<ContestantId, long>();
        foreach (var m in minutes)
        {
            var age = referenceMinute - m.Minute; // 1 for the last whole minute
            if (age is >= 1 and <= 5) Add(last5, m);
            else if (age is >= 6 and <= 10) Add(prev5, m);
            if (age is >= 1 and <= 60) Add(lastHour, m);
            else if (age is >= 61 and <= 120) Add(prevHour, m);
        }
        return new TrendWindows(last5, prev5, lastHour, prevHour);
    }

    private static void Add(Dictionary<ContestantId, long> sums, MinuteVotes m) =>
        sums[m.Contestant] = sums.GetValueOrDefault(m.Contestant) + m.Votes;
}
