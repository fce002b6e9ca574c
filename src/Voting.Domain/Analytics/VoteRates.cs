using Voting.Domain.Results;

namespace Voting.Domain.Analytics;

/// <summary>One clock minute of the timeline: its votes and their rate in votes per second.</summary>
public sealed record MinuteRate(DateTimeOffset Time, long Votes, decimal Rate);

/// <summary>Rates read from per-minute vote counts (unix minutes): the timeline, the seed's velocity and each contestant's momentum.</summary>
public static class VoteRates
{
    /// <summary>The minutes momentum compares: the last ten whole minutes against the ten before.</summary>
    public const int MomentumMinutes = 10;

    /// <summary>The votes of each minute with votes, in time order, and their rate in votes per second (two decimals).</summary>
    public static IReadOnlyList<MinuteRate> Timeline(IEnumerable<MinuteVotes> minutes) =>
        [.. minutes.GroupBy(m => m.Minute).Select(g => (Minute: g.Key, Votes: g.Sum(m => m.Votes))).Where(x => x.Votes != 0).OrderBy(x => x.Minute)
            .Select(x => new MinuteRate(DateTimeOffset.FromUnixTimeMilliseconds(x.Minute * 60_000), x.Votes,
                Math.Round(x.Votes / 60m, 2, MidpointRounding.AwayFromZero)))];

    /// <summary>
    /// The seed's voting velocity: votes in the three hours before <paramref name="now"/>, divided by 3
    /// (votes per hour, two decimals). Counted by whole minutes: the minute three hours back is in.
    /// </summary>
    public static decimal Velocity(IEnumerable<MinuteVotes> minutes, DateTimeOffset now)
    {
        var from = TrendWindows.MinuteOf(now.AddHours(-3));
        var to = TrendWindows.MinuteOf(now);
        var votes = minutes.Where(m => m.Minute >= from && m.Minute <= to).Sum(m => m.Votes);
        return Math.Round(votes / 3m, 2, MidpointRounding.AwayFromZero);
    }

    /// <summary>
    /// A contestant's momentum: the change, in percent (two decimals), of its votes in the last
    /// <see cref="MomentumMinutes"/> whole minutes before <paramref name="referenceMinute"/> against
    /// the ten before those. Votes after none is +100; none after none is 0.
    /// </summary>
    /// <param name="referenceMinute">The first minute not counted: the minute in progress while voting is open, the one after the close once closed.</param>
    public static decimal Momentum(IEnumerable<MinuteVotes> contestantMinutes, long referenceMinute)
    {
        long recent = 0, before = 0;
        foreach (var m in contestantMinutes)
        {
            var age = referenceMinute - m.Minute;
            if (age is >= 1 and <= MomentumMinutes) recent += m.Votes;
            else if (age is > MomentumMinutes and <= 2 * MomentumMinutes) before += m.Votes;
        }
        if (before == 0) return recent > 0 ? 100m : 0m;
        return Math.Round((recent - before) * 100m / before, 2, MidpointRounding.AwayFromZero);
    }
}
