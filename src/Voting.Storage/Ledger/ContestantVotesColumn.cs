using System.Globalization;
using System.Text;

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

    /// <summary>
    /// The contestants and their votes; <see cref="FormatException"/> when the text is not such an
    /// object. Read by hand (no UTF-8 copy, no string per key): the analytics read one per voter of the episode
    /// (500,000 at 10 million votes). SQLite writes the object without spaces, PostgreSQL's jsonb
    /// with a space after each colon and comma; any other JSON whitespace is skipped too.
    /// </summary>
    public static List<(long Contestant, long Votes)> Parse(string json)
    {
        var found = new List<(long Contestant, long Votes)>(2);
        Parse(json, found);
        return found;
    }

    /// <summary><see cref="Parse(string)"/> into a list the caller reuses (cleared first): no allocation per row.</summary>
    public static void Parse(ReadOnlySpan<char> s, List<(long Contestant, long Votes)> found)
    {
        found.Clear();
        var i = 0;
        Expect(s, ref i, '{');
        if (Peek(s, ref i) == '}')
        {
            i++;
        }
        else
        {
            while (true)
            {
                Expect(s, ref i, '"');
                var key = i;
                var contestant = Number(s, ref i, signed: false);
                // One spelling per contestant ("03" would be another key to the stores' JSON) and each once.
                if (i >= s.Length || s[i] != '"' || (s[key] == '0' && i - key > 1) || Seen(found, contestant)) throw Bad();
                i++;
                Expect(s, ref i, ':');
                Peek(s, ref i);
                found.Add((contestant, Number(s, ref i, signed: true)));
                var next = Peek(s, ref i);
                i++;
                if (next == '}') break;
                if (next != ',') throw Bad();
            }
        }
        Peek(s, ref i);
        if (i != s.Length) throw Bad(); // nothing but whitespace after the object
    }

    private static bool Seen(List<(long Contestant, long Votes)> found, long contestant)
    {
        foreach (var f in found)
        {
            if (f.Contestant == contestant) return true;
        }
        return false;
    }

    // The next character after JSON whitespace ('\0' at the end), left unread.
    private static char Peek(ReadOnlySpan<char> s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or '\n' or '\r') i++;
        return i < s.Length ? s[i] : '\0';
    }

    private static void Expect(ReadOnlySpan<char> s, ref int i, char c)
    {
        if (Peek(s, ref i) != c) throw Bad();
        i++;
    }

    private static long Number(ReadOnlySpan<char> s, ref int i, bool signed)
    {
        var start = i;
        if (signed && i < s.Length && s[i] == '-') i++;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        return long.TryParse(s[start..i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw Bad();
    }

    private static FormatException Bad() => new("contestant votes are not a JSON object of distinct contestant ids to whole numbers");
}
