using Microsoft.Extensions.Options;
using Voting.Storage;

namespace Voting.Server.Demo;

/// <summary>Seeds the demo season into an empty store before the server listens, when enabled (by default in Development).</summary>
public sealed class DemoStartup(ICatalogStore store, IPurchaseStore purchases, IOptions<DemoOptions> options, IHostEnvironment env, TimeProvider time,
    ILogger<DemoStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Enabled ?? env.IsDevelopment())
        {
            await DemoSeeder.SeedIfEmptyAsync(store, options.Value, time, logger, cancellationToken);
            // The original design's vote packages, so the demo's wallet can be filled (through the test store).
            await purchases.SeedPackagesAsync(global::Voting.Domain.Purchases.PackageRules.Demo, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
