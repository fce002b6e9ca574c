using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Voting.Storage.Ledger;

/// <summary>
/// A voter's votes per contestant in one episode as <c>voter_episode.contestant_votes</c> keeps them:
/// a JSON object of contestant id (a string key) to votes, <c>{"3":2,"5":1}</c>. A contestant whose
/// votes were all voided stays at 0.
/// </summary>
internal static class ContestantVotesColumn
{
    /// <summary>The votes summed per contestant, in contestant order; contestants that sum to 0 are left out.</summary>
    public static string Format(IEnumerable<(long Contestant, long Votes)> votes)
    {
        var sb = new StringBuilder("{");
        foreach (var g in votes.GroupBy(v => v.Contestant).OrderBy(g => g.Key))
        {
            var n = g.Sum(v => v.Votes);
            if (n == 0) continue;
            if (sb.Length > 1) sb.Append(',');
            sb.Append('"').Append(g.Key.ToString(CultureInfo.InvariantCulture)).Append("\":").Append(n.ToString(CultureInfo.InvariantCulture));
        }
        return sb.Append('}').ToString();
    }

    /// <summary>The contestants and their votes; <see cref="FormatException"/> when the text is not such an object.</summary>
    public static List<(long Contestant, long Votes)> Parse(string json)
    {
        var found = new List<(long, long)>();
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new FormatException("contestant votes are not a JSON object");
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var contestant = long.Parse(reader.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture);
                if (!reader.Read() || reader.TokenType != JsonTokenType.Number) throw new FormatException("a contestant's votes are not a number");
                found.Add((contestant, reader.GetInt64()));
            }
            if (reader.TokenType != JsonTokenType.EndObject) throw new FormatException("contestant votes are not a flat JSON object");
        }
        catch (JsonException e)
        {
            throw new FormatException("contestant votes are not valid JSON", e);
        }
        return found;
    }
}
