using Microsoft.Extensions.Options;
using Voting.Domain.Fraud;
using Voting.Server.Infrastructure;

namespace Voting.Server.Fraud;

/// <summary>Registers fraud scoring: options, the ranges, the in-memory signals, travel marks and the blocked-attempt recorder.</summary>
public static class FraudServices
{
    public static IServiceCollection AddFraud(this IServiceCollection services)
    {
        services.AddValidatedOptions<FraudOptions>("Fraud")
            .Validate(o => o.ReviewScore <= o.BlockScore, "Fraud:ReviewScore must not be over Fraud:BlockScore")
            .Validate(o => o.Countries().All(c => c.Length == 2 && c.All(char.IsAsciiLetterUpper)),
                "Fraud:AllowedCountries must be comma-separated two-letter country codes (e.g. KH)");
        services.AddSingleton<FraudSignals>();
        services.AddSingleton<IpIntelligence>();
        services.AddSingleton<TravelMarks>();
        services.AddHostedService(sp => sp.GetRequiredService<TravelMarks>());
        services.AddSingleton<BlockedRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<BlockedRecorder>());
        services.AddSingleton<FraudScreen>();
        services.AddHostedService<FraudStartup>();
        return services;
    }
}

/// <summary>
/// At start-up: loads the ranges files (a bad line stops the start, naming file and line), says
/// which rules are off, and sweeps the signals of voters idle for longer than their rules look back.
/// </summary>
internal sealed class FraudStartup(IServiceProvider services, IOptions<FraudOptions> options, StartupNotes notes, FraudSignals signals,
    TimeProvider time, ILogger<FraudStartup> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (!o.Enabled)
        {
            notes.Warn("Fraud:Enabled is false: votes are not scored, nothing is blocked or sent to review, votes from abroad are counted");
            return Task.CompletedTask;
        }
        IpIntelligence ips;
        try
        {
            ips = services.GetRequiredService<IpIntelligence>();
        }
        catch (IpRangeFileException e)
        {
            throw new InvalidOperationException($"Fraud ranges file {e.Message}", e);
        }
        if (ips.Countries is null)
            notes.Warn("Fraud:GeoRangesFile is not configured: the country rule and the refusal of votes from abroad are off (README, \"Fraud\")");
        if (ips.Proxies is null) notes.Warn("Fraud:ProxyRangesFile is not configured: the proxy rule is off");
        var allowed = o.Countries();
        FraudLog.Scoring(logger, ips.Proxies?.Count ?? 0, ips.Countries?.Count ?? 0, allowed, o.ReviewScore, o.BlockScore);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            signals.Sweep(time.GetUtcNow().ToUnixTimeMilliseconds(), idleMs: 15 * 60_000);
    }
}
