using Microsoft.Extensions.Options;
using Voting.Server.Auth;
using Voting.Server.Demo;
using Voting.Storage;

namespace Voting.Server.Infrastructure;

/// <summary>
/// Runs before the server listens: migrations, the signing key, the demo season. Health only
/// answers once these are done, because the server is not listening before.
/// </summary>
public sealed class StoreStartup(IVotingStore store, SigningKeys keys, IOptions<StorageOptions> storage, IOptions<DemoOptions> demo,
    IHostEnvironment env, TimeProvider time, ILogger<StoreStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        Log.StoreReady(logger, storage.Value.Provider);
        await keys.LoadAsync(store, cancellationToken);
        if (demo.Value.Enabled ?? env.IsDevelopment())
            await DemoSeeder.SeedIfEmptyAsync(store, demo.Value, time, logger, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
