using System.Globalization;
using System.Text;
using Voting.Server.Infrastructure;

namespace Voting.Server.Live;

/// <summary>
/// One message, serialized once: every subscriber gets these same bytes, as a WebSocket text
/// frame or as an SSE event. A message with a <see cref="ReplaceKey"/> is a snapshot: a newer
/// one with the same key replaces it in a queue that has not sent it yet.
/// </summary>
public sealed class Broadcast
{
    private byte[]? _sse;

    private Broadcast(string type, long seq, byte[] json, string? replaceKey, bool sseOnly)
    {
        Type = type;
        Seq = seq;
        Json = json;
        ReplaceKey = replaceKey;
        SseOnly = sseOnly;
    }

    public string Type { get; }
    public long Seq { get; }
    public byte[] Json { get; }
    public string? ReplaceKey { get; }

    /// <summary>An SSE comment that keeps proxies from closing an idle stream; WebSockets ping instead.</summary>
    public bool SseOnly { get; }

    public static Broadcast Create<T>(string type, long seq, long episode, DateTimeOffset sentAt, T data, string? replaceKey = null) =>
        new(type, seq, LiveJson.Serialize(new PushEnvelope<T>(type, seq, episode, LiveJson.Time(sentAt), data)), replaceKey, false);

    public static readonly Broadcast KeepAlive = new("keep-alive", 0, [], "keep-alive", true) { _sse = ": keep-alive\n\n"u8.ToArray() };

    /// <summary><c>id: seq\nevent: type\ndata: json\n\n</c>, built once on first use.</summary>
    public byte[] Sse => _sse ??= BuildSse();

    private byte[] BuildSse()
    {
        var head = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"id: {Seq}\nevent: {Type}\ndata: "));
        var bytes = new byte[head.Length + Json.Length + 2];
        head.CopyTo(bytes, 0);
        Json.CopyTo(bytes, head.Length);
        bytes[^2] = (byte)'\n';
        bytes[^1] = (byte)'\n';
        return bytes;
    }
}
