using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Voting.Server.Tests.Infrastructure;

/// <summary>One push message as a client received it, with when it arrived (Stopwatch ticks).</summary>
public sealed record PushMessage(string Type, long Seq, long EpisodeId, string SentAt, JsonElement Data, string Raw, long ArrivedAt)
{
    public static PushMessage Parse(string json, long arrivedAt)
    {
        var root = JsonDocument.Parse(json).RootElement.Clone();
        return new PushMessage(root.GetProperty("type").GetString()!, root.GetProperty("seq").GetInt64(), root.GetProperty("episode_id").GetInt64(),
            root.GetProperty("sent_at").GetString()!, root.GetProperty("data"), json, arrivedAt);
    }

    public long Remaining => Data.GetProperty("remaining").GetInt64();
    public string State => Data.GetProperty("state").GetString()!;
}

/// <summary>
/// A viewer connected to the push channels over a real socket: a WebSocket (ClientWebSocket) or
/// an SSE stream (HttpClient, parsed line by line). Everything received is kept in order.
/// </summary>
public sealed class LiveWatcher : IAsyncDisposable
{
    private readonly List<PushMessage> _messages = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly TaskCompletionSource _firstOrEnd = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly ClientWebSocket? _socket;
    private readonly HttpClient? _http;
    private Task _reading = Task.CompletedTask;
    private int _cursor;

    private LiveWatcher(ClientWebSocket? socket, HttpClient? http)
    {
        _socket = socket;
        _http = http;
    }

    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    /// <summary>How the stream ended: the close frame's status for a WebSocket, or "eof"/"error"; null while open.</summary>
    public string? EndedWith { get; private set; }

    public Task Ended => _reading;

    public IReadOnlyList<PushMessage> Messages
    {
        get
        {
            lock (_messages) return [.. _messages];
        }
    }

    public static async Task<LiveWatcher> WebSocketAsync(Uri server, long episode, long? contestant = null, long? lastSeq = null)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{server.Authority}/ws/voting?{Query(episode, contestant, lastSeq)}"), CancellationToken.None);
        var w = new LiveWatcher(socket, null);
        w._reading = w.ReadWebSocketAsync();
        await w.SubscribedAsync();
        return w;
    }

    public static async Task<LiveWatcher> SseAsync(Uri server, long episode, long? contestant = null, long? lastSeq = null, string? lastEventId = null)
    {
        var http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        var req = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/xfactor/voting/stream/{episode}?{Query(null, contestant, lastSeq)}");
        if (lastEventId is not null) req.Headers.Add("Last-Event-ID", lastEventId);
        var res = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead);
        if (!res.IsSuccessStatusCode) throw new InvalidOperationException($"SSE refused: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}");
        Assert.Equal("text/event-stream", res.Content.Headers.ContentType?.MediaType);
        var w = new LiveWatcher(null, http);
        w._reading = w.ReadSseAsync(await res.Content.ReadAsStreamAsync());
        await w.SubscribedAsync();
        return w;
    }

    /// <summary>
    /// Waits for the first message (or the end of the stream) without moving the cursor. The
    /// client's handshake completes before the server has added the connection to the episode's
    /// feed; the opening messages are queued as it is added, so once one has arrived every later
    /// broadcast reaches this watcher. Without this wait a test that opens voting right after
    /// connecting can miss VOTING_OPEN (it then sees the open show in the opening STATE_UPDATE).
    /// </summary>
    private Task SubscribedAsync() => _firstOrEnd.Task.WaitAsync(DefaultWait);

    private static string Query(long? episode, long? contestant, long? lastSeq) =>
        string.Join("&", new[]
        {
            episode is { } e ? $"episode_id={e}" : null,
            contestant is { } c ? $"contestant_id={c}" : null,
            lastSeq is { } s ? $"last_seq={s}" : null,
        }.Where(p => p is not null));

    private void Add(string json)
    {
        var m = PushMessage.Parse(json, Stopwatch.GetTimestamp());
        lock (_messages) _messages.Add(m);
        _arrived.Release();
        _firstOrEnd.TrySetResult();
    }

    private async Task ReadWebSocketAsync()
    {
        var buffer = new byte[64 * 1024];
        var text = new MemoryStream();
        try
        {
            while (true)
            {
                var r = await _socket!.ReceiveAsync(buffer, _stop.Token);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    EndedWith = _socket.CloseStatus?.ToString() ?? "close";
                    if (_socket.State == WebSocketState.CloseReceived)
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    return;
                }
                text.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                Add(Encoding.UTF8.GetString(text.ToArray()));
                text.SetLength(0);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            EndedWith ??= "error";
        }
        finally
        {
            _arrived.Release();
            _firstOrEnd.TrySetResult();
        }
    }

    private async Task ReadSseAsync(Stream stream)
    {
        try
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            string? id = null, type = null, data = null;
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (line.Length == 0)
                {
                    if (data is not null)
                    {
                        var m = PushMessage.Parse(data, Stopwatch.GetTimestamp());
                        Assert.Equal(m.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), id);
                        Assert.Equal(m.Type, type);
                        Add(data);
                    }
                    (id, type, data) = (null, null, null);
                }
                else if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
                else if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal)) data = line[6..];
            }
            EndedWith = "eof";
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or HttpRequestException)
        {
            EndedWith ??= "error";
        }
        finally
        {
            _arrived.Release();
            _firstOrEnd.TrySetResult();
        }
    }

    /// <summary>The next message (after the last one returned) that matches; the ones skipped stay in <see cref="Messages"/>.</summary>
    public async Task<PushMessage> NextAsync(Func<PushMessage, bool>? match = null, TimeSpan? wait = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((wait ?? DefaultWait).TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            lock (_messages)
            {
                for (; _cursor < _messages.Count; _cursor++)
                {
                    if (match is null || match(_messages[_cursor])) return _messages[_cursor++];
                }
            }
            var left = TimeSpan.FromSeconds((double)(deadline - Stopwatch.GetTimestamp()) / Stopwatch.Frequency);
            if (left <= TimeSpan.Zero || (_reading.IsCompleted && !await _arrived.WaitAsync(0)))
                throw new TimeoutException($"no matching message within {wait ?? DefaultWait}; ended: {EndedWith}; got: {string.Join(", ", Messages.Select(m => m.Type))}");
            await _arrived.WaitAsync(left);
        }
    }

    public Task<PushMessage> NextAsync(string type, TimeSpan? wait = null) => NextAsync(m => m.Type == type, wait);

    /// <summary>Messages received so far after those already returned by NextAsync, without moving on.</summary>
    public IReadOnlyList<PushMessage> Pending()
    {
        lock (_messages) return _messages.Skip(_cursor).ToList();
    }

    /// <summary>Closes from the client side (a WebSocket close handshake, or dropping the SSE stream).</summary>
    public async Task CloseAsync()
    {
        if (_socket is { State: WebSocketState.Open })
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", grace.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }
        await _stop.CancelAsync();
        await _reading;
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _socket?.Dispose();
        _http?.Dispose();
        _stop.Dispose();
    }
}
