using System.Globalization;
using System.Text;

namespace Voting.Domain.Sms;

/// <summary>Puts texts and line-up names into one comparable shape.</summary>
internal static class SmsText
{
    /// <summary>
    /// NFKC, full-width forms as ASCII, every decimal digit of any script as its ASCII digit,
    /// whitespace runs as one space, trimmed. Null when the text is not valid UTF-16 (a lone
    /// surrogate), which no phone sends and NFKC cannot normalize.
    /// </summary>
    public static string? Normalize(string text)
    {
        if (!IsValidUtf16(text)) return null;
        // With InvariantGlobalization (Directory.Build.props) Normalize leaves non-ASCII text as it
        // is, so the full-width fold below is what makes ＶＯＴＥ　３ read as VOTE 3 on every host;
        // NFKC adds the rarer compatibility forms where ICU is present.
        var nfkc = text.Normalize(NormalizationForm.FormKC);
        var clean = new StringBuilder(nfkc.Length);
        var gap = false;
        foreach (var ch in nfkc)
        {
            if (IsSeparator(ch))
            {
                gap = clean.Length > 0;
                continue;
            }
            if (gap) clean.Append(' ');
            gap = false;
            // NFKC leaves Khmer digits (០–៩, U+17E0..U+17E9) and other scripts' digits alone;
            // phones with a Khmer keyboard send them, so they count as the digits they are.
            if (char.IsDigit(ch)) clean.Append((char)('0' + CharUnicodeInfo.GetDecimalDigitValue(ch)));
            else clean.Append(ch is >= FullWidthFirst and <= FullWidthLast ? (char)(ch - FullWidthShift) : ch);
        }
        return clean.ToString();
    }

    /// <summary>The text without any spaces, for matching names written with or without them.</summary>
    public static string Compact(string normalized) => normalized.Replace(" ", "", StringComparison.Ordinal);

    /// <summary>True for a non-empty run of ASCII digits.</summary>
    public static bool IsDigits(string word)
    {
        if (word.Length == 0) return false;
        foreach (var ch in word)
        {
            if (!char.IsAsciiDigit(ch)) return false;
        }
        return true;
    }

    /// <summary>The value of a run of ASCII digits, saturating at <see cref="int.MaxValue"/>.</summary>
    public static int ToNumber(string digits)
    {
        long value = 0;
        foreach (var ch in digits) value = Math.Min(value * 10 + (ch - '0'), int.MaxValue);
        return (int)value;
    }

    // U+FF01..U+FF5E are ASCII ! to ~ at a fixed offset; U+3000 (ideographic space) is whitespace.
    private const char FullWidthFirst = '\uFF01';
    private const char FullWidthLast = '\uFF5E';
    private const int FullWidthShift = 0xFEE0;

    private static bool IsValidUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            else if (char.IsSurrogate(text[i])) return false;
        }
        return true;
    }

    // Khmer writes no spaces between words and uses the zero-width space (U+200B) as an invisible
    // word break, so it separates words like a space does; U+FEFF is the same thing in old phones.
    private static bool IsSeparator(char ch) => char.IsWhiteSpace(ch) || ch is '\u200B' or '\uFEFF';
}
