using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Voting.LoadTest.Watchers;

/// <summary>What one watcher process is asked to do.</summary>
internal sealed record ChildOptions(Uri BaseUrl, long EpisodeId, int Count, IPAddress Source, int ConnectParallelism, int ConnectTimeoutSeconds)
{
    public IReadOnlyList<string> ToArgs() =>
    [
        "watch-child", "--url", BaseUrl.ToString(), "--episode", Num(EpisodeId), "--count", Num(Count),
        "--source", Source.ToString(), "--connect-parallelism", Num(ConnectParallelism), "--connect-timeout", Num(ConnectTimeoutSeconds),
    ];

    public static ChildOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Count; i += 2) values[args[i]] = args[i + 1];
        string Get(string name) => values.TryGetValue(name, out var v) ? v : throw new UsageException($"watch-child needs {name}");
        return new ChildOptions(
            OptionsParser.ParseUrl(Get("--url")),
            long.Parse(Get("--episode"), CultureInfo.InvariantCulture),
            int.Parse(Get("--count"), CultureInfo.InvariantCulture),
            IPAddress.Parse(Get("--source")),
            int.Parse(Get("--connect-parallelism"), CultureInfo.InvariantCulture),
            int.Parse(Get("--connect-timeout"), CultureInfo.InvariantCulture));
    }

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The <c>watch-child</c> process: holds <see cref="ChildOptions.Count"/> WebSockets from one
/// source address (one process holds at most about 19,900 sockets here), reports once a second,
/// measures between "measure" and "stop", then prints its figures and exits.
/// </summary>
internal static class WatchChild
{
    private static readonly Lock OutputLock = new();

    public static async Task<int> RunAsync(ChildOptions o, CancellationToken ct)
    {
        var stats = new WatcherStats();
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            ConnectCallback = (context, token) => ConnectFromAsync(o.Source, context.DnsEndPoint, token),
        };
        using var invoker = new HttpMessageInvoker(handler);
        var uri = new UriBuilder(o.BaseUrl)
        {
            Scheme = o.BaseUrl.Scheme == "https" ? "wss" : "ws",
            Path = o.BaseUrl.AbsolutePath.TrimEnd('/') + "/ws/voting",
            Query = $"episode_id={o.EpisodeId.ToString(CultureInfo.InvariantCulture)}",
        }.Uri;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var gate = new SemaphoreSlim(o.ConnectParallelism);
        var timeout = TimeSpan.FromSeconds(o.ConnectTimeoutSeconds);
        var sockets = Enumerable.Range(0, o.Count)
            .Select(i => Task.Run(() => new WatcherSocket(i, uri, invoker, stats).RunAsync(gate, timeout, stop.Token), CancellationToken.None))
            .ToArray();
        var status = ReportStatusAsync(stats, stop.Token);

        await FollowCommandsAsync(stats, ct);
        var result = stats.ToResult(o.Count);
        await stop.CancelAsync();
        await Task.WhenAll(sockets);
        await status;
        Write(JsonSerializer.Serialize(result, ChildJson.Default.ChildResult));
        return 0;
    }

    /// <summary>Reads the parent's commands until "stop" or the end of input.</summary>
    private static async Task FollowCommandsAsync(WatcherStats stats, CancellationToken ct)
    {
        while (await Console.In.ReadLineAsync(ct) is { } line)
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is ["stop"]) return;
            if (parts is ["measure", var from, var to])
                stats.Measure(long.Parse(from, CultureInfo.InvariantCulture), long.Parse(to, CultureInfo.InvariantCulture));
        }
    }

    private static async Task ReportStatusAsync(WatcherStats stats, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
                Write(JsonSerializer.Serialize(new ChildStatus("status", stats.Connected, stats.Failed, stats.Dropped, stats.Messages), ChildJson.Default.ChildStatus));
        }
        catch (OperationCanceledException)
        {
            // Stopped: the result line follows.
        }
    }

    /// <summary>Binds the socket to this child's loopback source address, so ports run out per address, not per machine.</summary>
    private static async ValueTask<Stream> ConnectFromAsync(IPAddress source, DnsEndPoint target, CancellationToken ct)
    {
        var address = IPAddress.TryParse(target.Host, out var ip) ? ip
            : (await Dns.GetHostAddressesAsync(target.Host, AddressFamily.InterNetwork, ct)).First();
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (address.AddressFamily == source.AddressFamily) socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(new IPEndPoint(address, target.Port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static void Write(string line)
    {
        lock (OutputLock)
        {
            Console.Out.WriteLine(line);
            Console.Out.Flush();
        }
    }
}
