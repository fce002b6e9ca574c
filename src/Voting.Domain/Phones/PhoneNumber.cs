namespace Voting.Domain.Phones;

/// <summary>Cambodian mobile carriers that bill premium SMS.</summary>
public enum Carrier
{
    /// <summary>Prefix not in the table.</summary>
    Unknown,
    /// <summary>Smart Axiata.</summary>
    Smart,
    /// <summary>Cellcard.</summary>
    Cellcard,
    /// <summary>Metfone.</summary>
    Metfone,
}

/// <summary>Normalizes Cambodian mobile numbers to the national form (leading 0, digits only).</summary>
public static class PhoneNumber
{
    private static readonly Dictionary<string, Carrier> Prefixes = Build();

    /// <summary>
    /// Accepts <c>012345678</c>, <c>+855 12 345 678</c>, <c>85512345678</c> (spaces, dashes and dots
    /// between digits allowed) and returns <c>012345678</c>; null for anything else.
    /// </summary>
    public static string? Normalize(string? input)
    {
        if (string.IsNullOrWhiteSpace(input)) return null;
        Span<char> digits = stackalloc char[20];
        var n = 0;
        var text = input.Trim();
        var plus = text.StartsWith('+');
        foreach (var ch in plus ? text.AsSpan(1) : text.AsSpan())
        {
            if (ch is >= '0' and <= '9')
            {
                if (n == digits.Length) return null;
                digits[n++] = ch;
            }
            else if (ch is not (' ' or '-' or '.' or '(' or ')')) return null;
        }
        scoped ReadOnlySpan<char> national;
        var all = digits[..n];
        if (all.StartsWith("855"))
        {
            national = all[3..];
            if (national.StartsWith("0")) national = national[1..]; // "+855 012..." is a common slip
        }
        else if (plus || !all.StartsWith("0")) return null;
        else national = all[1..];
        // Mobile numbers: a two-digit prefix that does not start with 0, then 6 or 7 digits.
        if (national.Length is < 8 or > 9 || national[0] == '0') return null;
        return string.Concat("0", national);
    }

    /// <summary>The carrier owning the prefix of a normalized number.</summary>
    public static Carrier CarrierOf(string normalized) =>
        normalized.Length >= 3 && Prefixes.TryGetValue(normalized[..3], out var c) ? c : Carrier.Unknown;

    private static Dictionary<string, Carrier> Build()
    {
        var map = new Dictionary<string, Carrier>(StringComparer.Ordinal);
        foreach (var p in "010 015 016 069 070 081 086 087 093 096".Split(' ')) map[p] = Carrier.Smart;
        foreach (var p in "011 012 014 017 061 076 077 078 085 089 092 095 099".Split(' ')) map[p] = Carrier.Cellcard;
        foreach (var p in "088 097 071 031 060 066 067 068 090".Split(' ')) map[p] = Carrier.Metfone;
        return map;
    }
}
