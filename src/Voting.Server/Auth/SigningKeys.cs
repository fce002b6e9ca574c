using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Auth;

/// <summary>
/// The key that signs access tokens and one-time-code hashes. From Auth:SigningKey; in
/// Development without one, generated once and kept in the store so tokens survive restarts.
/// </summary>
public sealed class SigningKeys(IOptions<AuthOptions> options, IHostEnvironment env, StartupNotes notes)
{
    private SymmetricSecurityKey? _key;

    public SymmetricSecurityKey Key => _key ?? throw new InvalidOperationException("Signing key not loaded yet");

    public async Task LoadAsync(IAuthStore store, CancellationToken ct)
    {
        var configured = options.Value.SigningKey;
        byte[] bytes;
        if (!string.IsNullOrEmpty(configured))
        {
            bytes = Encoding.UTF8.GetBytes(configured);
            if (bytes.Length < 32) throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes");
        }
        else if (env.IsDevelopment())
        {
            notes.Warn("Auth:SigningKey is not configured: tokens are signed with a generated development key kept in the store (Development)");
            var stored = await store.GetOrAddSettingAsync("dev_jwt_signing_key", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), ct);
            bytes = Convert.FromBase64String(stored);
        }
        else throw new InvalidOperationException("Auth:SigningKey must be configured outside Development");
        _key = new SymmetricSecurityKey(bytes) { KeyId = "v1" };
    }

    /// <summary>A keyed hash of a one-time code, so a copy of the store does not reveal live codes.</summary>
    public string HashCode(string phone, string code) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Key.Key, Encoding.UTF8.GetBytes($"otp:{phone}:{code}")));
}
