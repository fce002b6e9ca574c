using System.Globalization;

namespace Voting.Domain.Sms;

/// <summary>Reads the time a carrier says it received a text.</summary>
public static class CarrierTime
{
    // 2001-09-09 to 2286-11-20: anything outside is a unit mistake (milliseconds) or garbage.
    private const long MinSeconds = 1_000_000_000;
    private const long MaxSeconds = 9_999_999_999;

    /// <summary>
    /// Unix seconds (<c>1718366400</c>, fractions allowed) or ISO-8601 (<c>2024-06-14T12:00:00Z</c>,
    /// <c>2024-06-14T19:00:00+07:00</c>; without an offset the time is UTC). Null for anything else.
    /// </summary>
    public static DateTimeOffset? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim();
        if (decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
            return FromSeconds(seconds);
        // ISO-8601 needs a date with dashes and a T or space before the time; loose formats are refused.
        if (t.Length < 10 || t[4] != '-' || t[7] != '-') return null;
        return DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.ToUniversalTime()
            : null;
    }

    /// <summary>A unix time in seconds, or null outside the plausible range.</summary>
    public static DateTimeOffset? FromSeconds(decimal seconds) =>
        seconds is < MinSeconds or > MaxSeconds
            ? null
            : DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000m, MidpointRounding.ToZero));
}
