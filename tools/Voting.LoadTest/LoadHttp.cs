using System.Net;

namespace Voting.LoadTest;

/// <summary>The HTTP client every load loop uses: one pooled HTTP/1.1 connection per worker, kept for the run.</summary>
internal static class LoadHttp
{
    /// <summary>A client for <paramref name="connections"/> concurrent requests to <paramref name="baseUrl"/>; disposing it disposes its handler.</summary>
    public static HttpClient CreateClient(Uri baseUrl, int connections, int timeoutSeconds) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        }, disposeHandler: true)
        {
            BaseAddress = baseUrl,
            Timeout = TimeSpan.FromSeconds(timeoutSeconds),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
}
