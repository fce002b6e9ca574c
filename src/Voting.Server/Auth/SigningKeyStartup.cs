using Voting.Storage;

namespace Voting.Server.Auth;

/// <summary>Loads the signing key before the server listens (after the store's migrations: in Development it is kept in the store).</summary>
public sealed class SigningKeyStartup(SigningKeys keys, IAuthStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => keys.LoadAsync(store, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
