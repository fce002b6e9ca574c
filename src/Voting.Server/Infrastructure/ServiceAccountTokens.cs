using Google.Apis.Auth.OAuth2;

namespace Voting.Server.Infrastructure;

/// <summary>
/// OAuth access tokens of a Google service account for one scope: the JSON key is loaded once (a key
/// that fails to load is tried again on the next call, so fixing the file is enough), tokens come
/// from the key's <c>token_uri</c> and are kept by Google.Apis.Auth until shortly before they expire.
/// </summary>
public sealed class ServiceAccountTokens(string keyFile, string scope) : IDisposable
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private GoogleCredential? _credential;

    public async Task<string> GetAccessTokenAsync(CancellationToken ct)
    {
        var credential = await CredentialAsync(ct);
        return await credential.UnderlyingCredential.GetAccessTokenForRequestAsync(cancellationToken: ct);
    }

    private async Task<GoogleCredential> CredentialAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _credential) is { } loaded) return loaded;
        await _loading.WaitAsync(ct);
        try
        {
            if (_credential is null)
            {
                var account = await CredentialFactory.FromFileAsync<ServiceAccountCredential>(keyFile, ct);
                Volatile.Write(ref _credential, account.ToGoogleCredential().CreateScoped(scope));
            }
            return _credential!;
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose() => _loading.Dispose();
}
