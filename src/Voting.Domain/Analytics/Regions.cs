namespace Voting.Domain.Analytics;

/// <summary>Votes in urban and rural provinces, over the known provinces only.</summary>
/// <param name="UrbanPercentage">The urban share of those votes in percent, two decimals (0 without votes).</param>
public sealed record UrbanSplit(long Urban, long Rural, decimal UrbanPercentage);

/// <summary>Where votes come from: the urban provinces and the largest provinces.</summary>
public static class Regions
{
    public const string Unknown = "unknown";

    /// <summary>The provinces counted as urban: the capital and the three largest cities' provinces.</summary>
    public static readonly IReadOnlyList<string> Urban = ["Phnom Penh", "Siem Reap", "Battambang", "Preah Sihanouk"];

    public static bool IsUrban(string province) => Urban.Contains(province, StringComparer.Ordinal);

    /// <summary>Urban against rural votes of <paramref name="votesByProvince"/>; <see cref="Unknown"/> is left out of both.</summary>
    public static UrbanSplit Split(IReadOnlyDictionary<string, long> votesByProvince)
    {
        long urban = 0, rural = 0;
        foreach (var (province, votes) in votesByProvince)
        {
            if (province == Unknown) continue;
            if (IsUrban(province)) urban += votes;
            else rural += votes;
        }
        var total = urban + rural;
        return new UrbanSplit(urban, rural, total == 0 ? 0m : Math.Round(urban * 100m / total, 2, MidpointRounding.AwayFromZero));
    }

    /// <summary>The <paramref name="count"/> known provinces with the most votes, most first (ties by name).</summary>
    public static IReadOnlyList<KeyValuePair<string, long>> Top(IReadOnlyDictionary<string, long> votesByProvince, int count = 5) =>
        [.. votesByProvince.Where(kv => kv.Key != Unknown && kv.Value > 0)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(count)];
}
