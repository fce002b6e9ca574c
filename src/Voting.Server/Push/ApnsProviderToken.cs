using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Voting.Server.Push;

/// <summary>
/// The APNs provider token: a JWT signed ES256 with the team's .p8 key (<c>kid</c> = key id,
/// <c>iss</c> = team id, <c>iat</c>), reused for <see cref="ApnsOptions.TokenMinutes"/>: Apple refuses
/// tokens renewed more often than every 20 minutes and tokens older than an hour.
/// </summary>
public sealed class ApnsProviderToken(ApnsOptions options, TimeProvider time) : IDisposable
{
    private readonly Lock _lock = new();
    private ECDsa? _key;
    private string? _token;
    private long _issuedAt;

    public string Current()
    {
        lock (_lock)
        {
            if (_token is null || time.GetElapsedTime(_issuedAt) >= TimeSpan.FromMinutes(options.TokenMinutes))
            {
                _token = Create();
                _issuedAt = time.GetTimestamp();
            }
            return _token;
        }
    }

    /// <summary>APNs called <paramref name="token"/> expired (our clock, or theirs, is off): the next request signs a new one.</summary>
    public void Renew(string token)
    {
        lock (_lock)
        {
            if (_token == token) _token = null;
        }
    }

    private string Create()
    {
        _key ??= LoadKey(options.PrivateKeyFile!);
        var header = Base64Url($$"""{"alg":"ES256","kid":"{{options.KeyId}}"}""");
        var claims = Base64Url(string.Create(CultureInfo.InvariantCulture,
            $$"""{"iss":"{{options.TeamId}}","iat":{{time.GetUtcNow().ToUnixTimeSeconds()}}}"""));
        var signed = $"{header}.{claims}";
        // JWS wants the signature as raw r||s (IEEE P1363), not DER.
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{signed}.{Base64UrlEncode(signature)}";
    }

    private static ECDsa LoadKey(string path)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(path));
            if (key.KeySize != 256) throw new CryptographicException("the APNs key must be a P-256 key");
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static string Base64Url(string json) => Base64UrlEncode(Encoding.UTF8.GetBytes(json));

    private static string Base64UrlEncode(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    public void Dispose() => _key?.Dispose();
}
