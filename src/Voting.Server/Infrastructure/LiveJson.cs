using System.Globalization;
using System.Text.Json;

namespace Voting.Server.Infrastructure;

/// <summary>How push messages and the show's read are written: snake_case, compact (one SSE data line), times as UTC with milliseconds.</summary>
public static class LiveJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Khmer as written, not as \u escapes (HTML-sensitive characters stay escaped).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };

    /// <summary>ISO-8601 UTC with milliseconds: 2025-06-14T12:00:00.000Z.</summary>
    public static string Time(DateTimeOffset moment) =>
        moment.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);
}
