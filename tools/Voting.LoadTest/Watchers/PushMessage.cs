using System.Text.Json;

namespace Voting.LoadTest.Watchers;

/// <summary>
/// The few envelope fields a watcher measures by: <c>type</c>, <c>seq</c>, <c>sent_at</c> and,
/// in LIVE_RESULTS, <c>data.as_of</c> (the server time of the newest commit in the snapshot).
/// Read with one forward pass that skips everything else (results arrays included).
/// </summary>
internal readonly record struct PushMessage(bool IsLiveResults, long Seq, DateTimeOffset? SentAt, DateTimeOffset? AsOf)
{
    public static bool TryParse(ReadOnlySpan<byte> json, out PushMessage message)
    {
        message = default;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            bool live = false, sawType = false;
            long seq = -1;
            DateTimeOffset? sentAt = null, asOf = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    live = reader.ValueTextEquals("LIVE_RESULTS"u8);
                    sawType = true;
                }
                else if (reader.ValueTextEquals("seq"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out seq)) return false;
                }
                else if (reader.ValueTextEquals("sent_at"u8))
                {
                    reader.Read();
                    sentAt = Time(ref reader);
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    asOf = ReadAsOf(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            message = new PushMessage(live, seq, sentAt, asOf);
            return sawType;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static DateTimeOffset? ReadAsOf(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        DateTimeOffset? asOf = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isAsOf = reader.ValueTextEquals("as_of"u8);
            reader.Read();
            if (isAsOf) asOf = Time(ref reader);
            else reader.Skip();
        }
        return asOf;
    }

    private static DateTimeOffset? Time(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var t) ? t : null;
}
