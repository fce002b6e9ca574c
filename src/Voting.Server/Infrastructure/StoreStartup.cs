using Microsoft.Extensions.Options;
using Voting.Storage;

namespace Voting.Server.Infrastructure;

/// <summary>
/// Runs first, before the server listens: applies the store's migrations. The features' own
/// start-up work (the signing key, the demo season) is registered after it and runs once it is done;
/// health only answers then, because the server is not listening before.
/// </summary>
public sealed class StoreStartup(IVotingStore store, IOptions<StorageOptions> storage, ILogger<StoreStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken);
        Log.StoreReady(logger, storage.Value.Provider);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
