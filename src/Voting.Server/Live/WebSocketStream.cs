using System.Net.WebSockets;

namespace Voting.Server.Live;

/// <summary>
/// One WebSocket's two loops: the writer drains the subscriber's queue; the reader waits for the
/// client's close and answers the seed's <c>{"type":"request_update"}</c> (through the queue, so the
/// writer stays the socket's only sender).
/// </summary>
internal static class WebSocketStream
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(WebSocket socket, Subscriber subscriber, TimeProvider time, Action requestUpdate, Action<int> sent)
    {
        var receiving = ReceiveUntilClosedAsync(socket, subscriber, requestUpdate);
        var end = await SendUntilEndAsync(socket, subscriber, time, sent);
        try
        {
            if (end == StreamEnd.Shutdown && socket.State == WebSocketState.Open)
            {
                using var grace = new CancellationTokenSource(CloseGrace);
                await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "server shutting down", grace.Token);
                await receiving.WaitAsync(CloseGrace);
            }
            else if (end == StreamEnd.ClientGone && socket.State == WebSocketState.CloseReceived)
            {
                using var grace = new CancellationTokenSource(CloseGrace);
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, grace.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException or IOException)
        {
            // The client did not finish the close handshake in time: drop it.
        }
        if (socket.State is not (WebSocketState.Closed or WebSocketState.Aborted)) socket.Abort();
        await receiving;
    }

    private static Task<StreamEnd> SendUntilEndAsync(WebSocket socket, Subscriber subscriber, TimeProvider time, Action<int> sent) =>
        SubscriberPump.RunAsync(subscriber, time, async batch =>
        {
            foreach (var message in batch) await socket.SendAsync(message.Json, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }, static e => e is WebSocketException, sent);

    private static async Task ReceiveUntilClosedAsync(WebSocket socket, Subscriber subscriber, Action requestUpdate)
    {
        // Reading is also how a close frame (and Kestrel's pong) arrives. A client says little: a
        // message longer than the buffer is not one we know, and is skipped.
        var buffer = new byte[256];
        try
        {
            var length = 0;
            var tooLong = false;
            while (true)
            {
                var r = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close) break;
                length += r.Count;
                tooLong |= length == buffer.Length && !r.EndOfMessage;
                if (tooLong) length = 0;
                if (!r.EndOfMessage) continue;
                if (!tooLong && r.MessageType == WebSocketMessageType.Text && IsRequestUpdate(buffer.AsSpan(0, length))) requestUpdate();
                (length, tooLong) = (0, false);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            subscriber.Close(StreamEnd.ClientGone);
        }
    }

    private static bool IsRequestUpdate(ReadOnlySpan<byte> message)
    {
        try
        {
            var reader = new System.Text.Json.Utf8JsonReader(message);
            using var doc = System.Text.Json.JsonDocument.ParseValue(ref reader);
            return doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
                && doc.RootElement.TryGetProperty("type", out var type) && type.ValueKind == System.Text.Json.JsonValueKind.String
                && type.ValueEquals("request_update");
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }
}
