using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using Voting.Server.Infrastructure;

namespace Voting.Server.Metrics;

/// <summary>
/// OpenTelemetry for the service's meter and ASP.NET Core's: Prometheus text at <c>Metrics:Path</c>
/// and OTLP when a collector is configured. Off (<c>Metrics:Enabled=false</c>): none of it is registered.
/// </summary>
public static class MetricsServices
{
    public static IServiceCollection AddVotingMetrics(this IServiceCollection services, IConfiguration config)
    {
        services.AddValidatedOptions<MetricsOptions>("Metrics")
            .ValidateRule(o => o.Otlp.Endpoint is { } e && !Uri.TryCreate(e, UriKind.Absolute, out _) ? "Metrics:Otlp:Endpoint must be an absolute URL" : null)
            .ValidateRule(o => o.Otlp.Protocol is not ("grpc" or "http/protobuf") ? "Metrics:Otlp:Protocol must be grpc or http/protobuf" : null)
            .ValidateRule(o => o.Otlp.ExportIntervalMilliseconds < 1000 ? "Metrics:Otlp:ExportIntervalMilliseconds must be at least 1000" : null);
        services.AddSingleton<VotingMetrics>();
        var options = config.GetSection("Metrics").Get<MetricsOptions>() ?? new MetricsOptions();
        if (!options.Enabled) return services;

        services.AddHostedService<ServiceGauges>();
        var otlp = options.Otlp.Endpoint is not null || !string.IsNullOrEmpty(config["OTEL_EXPORTER_OTLP_ENDPOINT"])
            || !string.IsNullOrEmpty(config["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"]);
        services.AddOpenTelemetry().WithMetrics(m =>
        {
            m.AddMeter(VotingMetrics.MeterName);
            foreach (var meter in options.AspNetCoreMeterNames()) m.AddMeter(meter);
            m.AddPrometheusExporter(p =>
            {
                p.ScrapeEndpointPath = options.Path;
                p.ScopeInfoEnabled = false;
                p.ScrapeResponseCacheDurationMilliseconds = options.ScrapeCacheMilliseconds;
            });
            if (otlp) m.AddOtlpExporter((exporter, reader) =>
            {
                if (options.Otlp.Endpoint is { } endpoint)
                {
                    exporter.Endpoint = new Uri(endpoint);
                    exporter.Protocol = options.Otlp.Protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                }
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = options.Otlp.ExportIntervalMilliseconds;
            });
        });
        // Meters are process-wide and listened to by name: keep only this host's (and static ones),
        // so that hosts sharing a process (tests, a second node in one process) never count each other's.
        services.ConfigureOpenTelemetryMeterProvider((sp, b) =>
        {
            var own = sp.GetRequiredService<IMeterFactory>();
            b.AddView(i => i.Meter.Scope is IMeterFactory scope && !ReferenceEquals(scope, own) ? MetricStreamConfiguration.Drop : null);
        });
        return services;
    }

    /// <summary>The scrape endpoint, as a route of its own (so it is in the API's description and can take the operator filter).</summary>
    public static IEndpointRouteBuilder MapVotingMetrics(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Enabled) return app;
        var branch = app.CreateApplicationBuilder();
        branch.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider: null, predicate: _ => true, path: null, configureBranchedPipeline: null, optionsName: null);
        var scrape = branch.Build();
        // A Delegate, not a RequestDelegate: a route handler is described by the OpenAPI document and takes filters.
        Delegate handler = (HttpContext http) => scrape(http);
        var endpoint = app.MapGet(options.Path, handler).AllowAnonymous().Produces<string>(StatusCodes.Status200OK, "text/plain");
        if (options.RequireApiKey) endpoint.AddEndpointFilter<ApiKeyFilter>();
        return app;
    }

    /// <summary>cast_vote's latency and refusals (nothing is added when metrics are off).</summary>
    public static RouteHandlerBuilder WithCastVoteMetrics(this RouteHandlerBuilder builder, IServiceProvider services) =>
        services.GetRequiredService<IOptions<MetricsOptions>>().Value.Enabled
            ? CastVoteMetricsFilter.Add(builder, services.GetRequiredService<VotingMetrics>(), services.GetRequiredService<TimeProvider>())
            : builder;
}
