using System.Globalization;

namespace Voting.Domain.Results;

/// <summary>Voter names as shown to the public: enough to recognise oneself, not enough to find anyone.</summary>
public static class VoterMask
{
    private const string Stars = "***";

    /// <summary>
    /// A display name keeps its first two and last characters ("Sophea" → "So***a"); a phone
    /// number (no name) its first three and last two digits ("012345645" → "012***45"). Characters
    /// are counted as the reader sees them (text elements), so Khmer names keep their marks
    /// with their letters. Names too short to keep anything hidden show one character and stars.
    /// </summary>
    public static string Mask(string? displayName, string phone)
    {
        if (!string.IsNullOrWhiteSpace(displayName)) return Keep(displayName.Trim(), 2, 1);
        return Keep(phone, 3, 2);
    }

    private static string Keep(string text, int head, int tail)
    {
        var elements = new List<string>();
        var e = StringInfo.GetTextElementEnumerator(text);
        while (e.MoveNext()) elements.Add((string)e.Current);
        if (elements.Count <= head + tail) return (elements.Count == 0 ? "" : elements[0]) + Stars;
        return string.Concat(elements.Take(head)) + Stars + string.Concat(elements.Skip(elements.Count - tail));
    }
}
