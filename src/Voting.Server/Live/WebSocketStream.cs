using System.Net.WebSockets;

namespace Voting.Server.Live;

/// <summary>One WebSocket's two loops: the writer drains the subscriber's queue; the reader waits for the client's close.</summary>
internal static class WebSocketStream
{
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(WebSocket socket, Subscriber subscriber, TimeSpan sendTimeout)
    {
        var receiving = ReceiveUntilClosedAsync(socket, subscriber);
        var end = await SendUntilEndAsync(socket, subscriber, sendTimeout);
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

    private static Task<StreamEnd> SendUntilEndAsync(WebSocket socket, Subscriber subscriber, TimeSpan sendTimeout) =>
        SubscriberPump.RunAsync(subscriber, sendTimeout, async (batch, ct) =>
        {
            foreach (var message in batch) await socket.SendAsync(message.Json, WebSocketMessageType.Text, endOfMessage: true, ct);
        }, static e => e is WebSocketException);

    private static async Task ReceiveUntilClosedAsync(WebSocket socket, Subscriber subscriber)
    {
        // Clients have nothing to say; reading is how a close frame (and Kestrel's pong) arrives.
        var buffer = new byte[256];
        try
        {
            while (true)
            {
                var r = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (r.MessageType == WebSocketMessageType.Close) break;
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
}
