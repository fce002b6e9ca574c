using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;

namespace Voting.LoadTest.ShowNight;

/// <summary>What one watcher saw of the show.</summary>
internal sealed class WatcherLog
{
    public HashSet<string> Types { get; } = new(StringComparer.Ordinal);
    public int LiveResultsWithVotes { get; set; }
    public string? FrozenDigest { get; set; }
    public long? FrozenVotes { get; set; }
    public bool Connected { get; set; }
    public bool Dropped { get; set; }
}

/// <summary>
/// The crowd at home: W WebSockets on <c>/ws/voting?episode_id=N</c>, held from before the show
/// starts until told to stop. Each keeps the message types it saw, the frozen digest of
/// RESULTS_READY, and the delay from a vote's commit (LIVE_RESULTS <c>as_of</c>) to receipt.
/// </summary>
internal sealed class ShowWatchers(Uri baseUrl, long episode, int count, TimeProvider time) : IDisposable
{
    private readonly WatcherLog[] _logs = [.. Enumerable.Range(0, count).Select(_ => new WatcherLog())];
    private readonly LatencyHistogram _commitToReceipt = new();
    private readonly ConcurrentDictionary<string, long> _connectErrors = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private int _open;
    private long _messages;

    public IReadOnlyList<WatcherLog> Logs => _logs;
    public int Open => Volatile.Read(ref _open);
    public long Messages => Interlocked.Read(ref _messages);
    public IReadOnlyDictionary<string, long> ConnectErrors => _connectErrors;

    public LatencyHistogram CommitToReceipt
    {
        get
        {
            lock (_commitToReceipt)
            {
                var copy = new LatencyHistogram();
                copy.Add(_commitToReceipt);
                return copy;
            }
        }
    }

    /// <summary>Connects every watcher (at most 100 handshakes at once) and returns once all have tried.</summary>
    public async Task ConnectAsync(TimeSpan timeout, CancellationToken ct)
    {
        var scheme = baseUrl.Scheme == "https" ? "wss" : "ws";
        var uri = new UriBuilder(baseUrl) { Scheme = scheme, Path = baseUrl.AbsolutePath + "ws/voting", Query = $"episode_id={episode}" }.Uri;
        using var gate = new SemaphoreSlim(100);
        var connected = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var log = _logs[i];
            _tasks.Add(Task.Run(() => RunAsync(uri, log, gate, timeout, ready), CancellationToken.None));
            connected.Add(ready.Task);
        }
        await Task.WhenAll(connected).WaitAsync(ct);
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_tasks);
    }

    public void Dispose() => _stop.Dispose();

    private async Task RunAsync(Uri uri, WatcherLog log, SemaphoreSlim gate, TimeSpan timeout, TaskCompletionSource ready)
    {
        using var ws = new ClientWebSocket();
        try
        {
            await gate.WaitAsync(_stop.Token);
            try
            {
                using var connect = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                connect.CancelAfter(timeout);
                await ws.ConnectAsync(uri, connect.Token);
                log.Connected = true;
                Interlocked.Increment(ref _open);
            }
            finally
            {
                gate.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException or IOException)
        {
            _connectErrors.AddOrUpdate(ex.GetType().Name + ": " + ex.Message, 1, (_, n) => n + 1);
            return;
        }
        finally
        {
            ready.TrySetResult();
        }

        log.Dropped = await ReceiveAsync(ws, log);
        Interlocked.Decrement(ref _open);
        if (!log.Dropped && ws.State == WebSocketState.Open)
        {
            try
            {
                using var close = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await ws.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "show over", close.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                ws.Abort();
            }
        }
    }

    /// <summary>Reads until the server closes (true: dropped) or the run stops (false).</summary>
    private async Task<bool> ReceiveAsync(ClientWebSocket ws, WatcherLog log)
    {
        var buffer = new byte[8192];
        var whole = new ArrayBufferWriter<byte>(8192);
        var snapshots = 0;
        try
        {
            while (true)
            {
                whole.ResetWrittenCount();
                ValueWebSocketReceiveResult r;
                do
                {
                    r = await ws.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                    if (r.MessageType == WebSocketMessageType.Close) return true;
                    whole.Write(buffer.AsSpan(0, r.Count));
                }
                while (!r.EndOfMessage);
                Record(whole.WrittenMemory, log, ref snapshots);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException)
        {
            return !_stop.IsCancellationRequested;
        }
    }

    private void Record(ReadOnlyMemory<byte> json, WatcherLog log, ref int snapshots)
    {
        var received = time.GetUtcNow();
        Interlocked.Increment(ref _messages);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (!root.TryGetProperty("type", out var typeElement) || typeElement.GetString() is not { } type) return;
        log.Types.Add(type);
        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object) return;
        if (type == "LIVE_RESULTS")
        {
            if (data.TryGetProperty("total_votes", out var total) && total.GetInt64() > 0) log.LiveResultsWithVotes++;
            // The first snapshot comes on connect: its newest commit may be long past.
            if (snapshots++ > 0 && data.TryGetProperty("as_of", out var asOf) && asOf.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(asOf.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var committed))
            {
                lock (_commitToReceipt) _commitToReceipt.Record(Math.Max(0, (long)(received - committed).TotalMicroseconds));
            }
        }
        else if (type == "RESULTS_READY" && data.TryGetProperty("audit", out var audit))
        {
            log.FrozenDigest = audit.GetProperty("digest").GetString();
            log.FrozenVotes = audit.GetProperty("vote_count").GetInt64();
        }
    }
}
