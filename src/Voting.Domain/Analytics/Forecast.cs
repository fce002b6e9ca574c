using Voting.Domain.Results;

namespace Voting.Domain.Analytics;

/// <summary>A contestant's counted votes so far.</summary>
public sealed record ContestantVotes(ContestantId Contestant, long Votes);

/// <summary>Where a contestant is heading: its votes per minute lately, its projected final votes and its chance to win.</summary>
public sealed record ContestantOutlook(ContestantId Contestant, long Votes, decimal VotesPerMinute, long ProjectedVotes, decimal WinProbability);

/// <summary>The projection of an open vote.</summary>
/// <param name="Contestants">In the order given.</param>
/// <param name="ProjectedWinner">The most projected votes (ties: more votes now, then the order given).</param>
/// <param name="ConfidenceLevel">The projected winner's win probability in percent, rounded (0–100).</param>
public sealed record Outlook(long EstimatedTotalVotes, IReadOnlyList<ContestantOutlook> Contestants, ContestantId? ProjectedWinner, int ConfidenceLevel);

/// <summary>
/// Projects an open vote from its recent per-minute rates.
/// <para>Rates: each contestant's votes over the last <see cref="RecentMinutes"/> minutes (the
/// minute in progress included, never before voting opened), per minute of that span. Projected
/// votes = votes now + rate × minutes left; the estimated total is their sum.</para>
/// <para>Win probability: the n recent votes give each contestant's share p of the votes still to
/// come; the R votes expected in the time left are split by those shares. For a pair (i, j) the
/// final margin D = (v_i − v_j) + R(p_i − p_j) is taken as normal with variance
/// (p_i + p_j − (p_i − p_j)²)(R²/n + R): the uncertainty of shares estimated from n votes, plus
/// the multinomial spread of R votes. Contestant i's score is the product over j of P(D &gt; 0);
/// scores are normalised to sum to 1 (rounded to four decimals, the rounding remainder on the
/// largest). With no recent votes the shares are the overall ones (n = all votes); with no votes
/// at all every contestant has the same chance.</para>
/// </summary>
public static class Forecast
{
    public const int RecentMinutes = 10;
    private const double MsPerMinute = 60_000;

    public static Outlook Project(IReadOnlyList<ContestantVotes> contestants, IEnumerable<MinuteVotes> minutes,
        DateTimeOffset votingStart, DateTimeOffset votingEnd, DateTimeOffset now)
    {
        if (contestants.Count == 0) return new Outlook(0, [], null, 0);
        var asOf = now < votingEnd ? now : votingEnd;
        var spanStart = Math.Max(votingStart.ToUnixTimeMilliseconds(), (TrendWindows.MinuteOf(asOf) - RecentMinutes) * 60_000);
        var spanMinutes = Math.Max(1_000, asOf.ToUnixTimeMilliseconds() - spanStart) / MsPerMinute;
        var leftMinutes = Math.Max(0, (votingEnd - asOf).TotalMilliseconds) / MsPerMinute;
        var firstMinute = spanStart / 60_000;
        var recent = minutes.Where(m => m.Minute >= firstMinute && m.Minute <= TrendWindows.MinuteOf(asOf))
            .GroupBy(m => m.Contestant).ToDictionary(g => g.Key, g => Math.Max(0, g.Sum(m => m.Votes)));

        var rates = contestants.Select(c => recent.GetValueOrDefault(c.Contestant) / spanMinutes).ToArray();
        var projected = contestants.Select((c, i) => c.Votes + (long)Math.Round(rates[i] * leftMinutes, MidpointRounding.AwayFromZero)).ToArray();
        var probabilities = WinProbabilities([.. contestants.Select(c => c.Votes)], [.. contestants.Select(c => recent.GetValueOrDefault(c.Contestant))],
            rates.Sum() * leftMinutes);

        var outlooks = contestants.Select((c, i) => new ContestantOutlook(c.Contestant, c.Votes,
            Math.Round((decimal)rates[i], 2, MidpointRounding.AwayFromZero), projected[i], probabilities[i])).ToList();
        var winner = Enumerable.Range(0, contestants.Count).OrderByDescending(i => projected[i]).ThenByDescending(i => contestants[i].Votes).ThenBy(i => i).First();
        return new Outlook(projected.Sum(), outlooks, contestants[winner].Contestant,
            (int)Math.Round(probabilities[winner] * 100, MidpointRounding.AwayFromZero));
    }

    /// <summary>Each contestant's chance to finish first (see the class remarks), summing to exactly 1.</summary>
    /// <param name="votes">Votes now.</param>
    /// <param name="recent">Votes in the recent span, the sample the shares come from.</param>
    /// <param name="remaining">Votes expected before voting closes.</param>
    public static decimal[] WinProbabilities(IReadOnlyList<long> votes, IReadOnlyList<long> recent, double remaining)
    {
        var k = votes.Count;
        if (k == 0) return [];
        var sample = recent.Sum() > 0 ? recent : votes;
        double n = sample.Sum();
        if (n <= 0) return Normalise([.. Enumerable.Repeat(1.0, k)]);
        var p = sample.Select(s => s / n).ToArray();
        var spread = remaining * remaining / n + remaining;
        var scores = new double[k];
        for (var i = 0; i < k; i++)
        {
            var score = 1.0;
            for (var j = 0; j < k; j++)
            {
                if (j == i) continue;
                var margin = votes[i] - votes[j] + remaining * (p[i] - p[j]);
                var variance = (p[i] + p[j] - (p[i] - p[j]) * (p[i] - p[j])) * spread;
                score *= variance > 0 ? Normal.Cdf(margin / Math.Sqrt(variance)) : margin > 0 ? 1 : margin < 0 ? 0 : 0.5;
            }
            scores[i] = score;
        }
        return Normalise(scores);
    }

    private static decimal[] Normalise(double[] scores)
    {
        var sum = scores.Sum();
        var shares = scores.Select(s => sum > 0 ? Math.Round((decimal)(s / sum), 4, MidpointRounding.AwayFromZero) : 0m).ToArray();
        if (sum <= 0) shares = [.. scores.Select(_ => Math.Round(1m / scores.Length, 4))];
        var largest = Array.IndexOf(shares, shares.Max());
        shares[largest] += 1m - shares.Sum();
        return shares;
    }
}
