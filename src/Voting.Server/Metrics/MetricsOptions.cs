using System.ComponentModel.DataAnnotations;

namespace Voting.Server.Metrics;

/// <summary>Section <c>Metrics</c>: the service's meters, their Prometheus endpoint and the OTLP export.</summary>
public sealed class MetricsOptions
{
    /// <summary>Off: no meter is listened to, no /metrics endpoint (404), nothing measured on the vote path.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Where Prometheus scrapes.</summary>
    [RegularExpression("^/[A-Za-z0-9/_.-]*$")]
    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// Whether the scrape needs the operator's X-Api-Key. Off by default: Prometheus scrapers rarely send
    /// custom headers, and the figures are counts, not viewers' data; keep the path off the public
    /// load balancer instead, or turn this on and give the scraper the header.
    /// </summary>
    public bool RequireApiKey { get; set; }

    /// <summary>How long a scrape's text is reused by the next scrapes (the exporter's cache).</summary>
    [Range(0, 60_000)]
    public int ScrapeCacheMilliseconds { get; set; } = 300;

    /// <summary>How often the outbox's pending and dead counts are read from the store (never per scrape).</summary>
    [Range(1, 3600)]
    public int OutboxPollSeconds { get; set; } = 5;

    /// <summary>
    /// ASP.NET Core's own meters to listen to, comma-separated (empty: none). By default the request
    /// duration and active requests (Hosting) and the connections (Kestrel). Routing's and rate
    /// limiting's meters record several instruments on every request; on the vote path they cost
    /// more than every other meter together (BENCHMARKS.md), so they are left out unless named here.
    /// </summary>
    [RegularExpression(@"^[A-Za-z0-9., ]*$")]
    public string AspNetCoreMeters { get; set; } = "Microsoft.AspNetCore.Hosting,Microsoft.AspNetCore.Server.Kestrel";

    public IEnumerable<string> AspNetCoreMeterNames() =>
        AspNetCoreMeters.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>OTLP export; the standard OTEL_EXPORTER_OTLP_* variables also turn it on.</summary>
    public OtlpOptions Otlp { get; set; } = new();
}

public sealed class OtlpOptions
{
    /// <summary>The collector, e.g. http://collector:4317; null leaves it to OTEL_EXPORTER_OTLP_ENDPOINT (and off without it).</summary>
    [Url]
    public string? Endpoint { get; set; }

    /// <summary>"grpc" (default) or "http/protobuf".</summary>
    [RegularExpression("^(grpc|http/protobuf)$")]
    public string Protocol { get; set; } = "grpc";

    [Range(1000, 3_600_000)]
    public int ExportIntervalMilliseconds { get; set; } = 15_000;
}
