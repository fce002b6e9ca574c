using System.Buffers;
using System.Net.WebSockets;

namespace Voting.LoadTest.Watchers;

/// <summary>One watcher: connects, then reads every message until told to stop or dropped by the server.</summary>
internal sealed class WatcherSocket(int id, Uri uri, HttpMessageInvoker invoker, WatcherStats stats)
{
    // LIVE_RESULTS for a dozen contestants is about 2 KB; longer messages spill into a pooled buffer.
    private const int BufferSize = 4096;

    public async Task RunAsync(SemaphoreSlim connectGate, TimeSpan connectTimeout, CancellationToken stop)
    {
        using var ws = new ClientWebSocket();
        // The server pings; the client answers its pings without sending its own.
        ws.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            await connectGate.WaitAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(connectTimeout);
            await ws.ConnectAsync(uri, invoker, timeout.Token);
            stats.RecordConnected();
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException or IOException)
        {
            if (!stop.IsCancellationRequested) stats.RecordConnectFailure(Kind(ex));
            return;
        }
        finally
        {
            connectGate.Release();
        }

        if (await ReceiveAllAsync(ws, stop)) stats.RecordDropped();
        else await CloseAsync(ws);
    }

    /// <summary>Reads until the server closes (true) or <paramref name="stop"/> (false).</summary>
    private async Task<bool> ReceiveAllAsync(ClientWebSocket ws, CancellationToken stop)
    {
        var buffer = new byte[BufferSize];
        var lastSeq = long.MinValue;
        var snapshotsSeen = 0;
        try
        {
            while (true)
            {
                var r = await ws.ReceiveAsync(buffer.AsMemory(), stop);
                if (r.MessageType == WebSocketMessageType.Close) return true;
                if (r.EndOfMessage)
                {
                    Record(buffer.AsSpan(0, r.Count), ref lastSeq, ref snapshotsSeen);
                    continue;
                }
                var whole = new ArrayBufferWriter<byte>(BufferSize * 4);
                whole.Write(buffer.AsSpan(0, r.Count));
                do
                {
                    r = await ws.ReceiveAsync(buffer.AsMemory(), stop);
                    if (r.MessageType == WebSocketMessageType.Close) return true;
                    whole.Write(buffer.AsSpan(0, r.Count));
                }
                while (!r.EndOfMessage);
                Record(whole.WrittenSpan, ref lastSeq, ref snapshotsSeen);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            return !stop.IsCancellationRequested;
        }
    }

    private void Record(ReadOnlySpan<byte> json, ref long lastSeq, ref int snapshotsSeen)
    {
        var received = DateTimeOffset.UtcNow;
        if (!PushMessage.TryParse(json, out var m)) return;
        if (m.Seq <= lastSeq) stats.RecordSeqRegression();
        lastSeq = m.Seq;
        // The first LIVE_RESULTS is the connect snapshot: its newest commit may be long past.
        var measuresCommit = m.IsLiveResults && snapshotsSeen++ > 0;
        stats.RecordMessage(id, m, json.Length, received, measuresCommit);
    }

    private async Task CloseAsync(ClientWebSocket ws)
    {
        stats.RecordClosed();
        if (ws.State != WebSocketState.Open) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            ws.Abort();
        }
    }

    private static string Kind(Exception ex) => ex switch
    {
        OperationCanceledException => "ConnectTimeout",
        HttpRequestException http => http.HttpRequestError.ToString(),
        WebSocketException ws when ws.InnerException is HttpRequestException inner => inner.HttpRequestError.ToString(),
        WebSocketException ws => ws.WebSocketErrorCode.ToString(),
        _ => ex.GetType().Name,
    };
}
