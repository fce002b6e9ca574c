using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Voting.Server.Show;

public enum SignatureCheck { Valid, Invalid, Expired }

/// <summary>
/// <c>X-Broadcast-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;raw body&gt;"&gt;</c>.
/// Several v1 values may be given (a key rotation); one match suffices. Compared in constant time.
/// </summary>
public static class BroadcastSignature
{
    public const string Header = "X-Broadcast-Signature";

    /// <summary>The header value for a body signed at <paramref name="t"/> (for senders and tests).</summary>
    public static string Sign(string secret, long t, ReadOnlySpan<byte> body) =>
        string.Create(CultureInfo.InvariantCulture, $"t={t},v1={Convert.ToHexStringLower(Mac(Encoding.UTF8.GetBytes(secret), t, body))}");

    public static SignatureCheck Verify(string? header, ReadOnlySpan<byte> body, string secret, DateTimeOffset now, TimeSpan window, out long t)
    {
        t = 0;
        if (!TryParse(header, out t, out var candidates)) return SignatureCheck.Invalid;
        var expected = Mac(Encoding.UTF8.GetBytes(secret), t, body);
        var match = false;
        foreach (var candidate in candidates) match |= CryptographicOperations.FixedTimeEquals(candidate, expected);
        if (!match) return SignatureCheck.Invalid;
        return Math.Abs(now.ToUnixTimeSeconds() - t) > window.TotalSeconds ? SignatureCheck.Expired : SignatureCheck.Valid;
    }

    /// <summary>The dedupe key of a signed signal: SHA-256 of "&lt;t&gt;.&lt;raw body&gt;".</summary>
    public static string Key(long t, ReadOnlySpan<byte> body)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.ASCII.GetBytes(t.ToString(CultureInfo.InvariantCulture) + "."));
        sha.AppendData(body);
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static byte[] Mac(byte[] secret, long t, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        hmac.AppendData(Encoding.ASCII.GetBytes(t.ToString(CultureInfo.InvariantCulture) + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    private static bool TryParse(string? header, out long t, out List<byte[]> signatures)
    {
        t = 0;
        signatures = [];
        var hasT = false;
        foreach (var part in (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) return false;
            var (name, value) = (part[..eq], part[(eq + 1)..]);
            if (name == "t")
            {
                if (hasT || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out t)) return false;
                hasT = true;
            }
            else if (name == "v1")
            {
                if (value.Length != 64 || !value.All(Uri.IsHexDigit)) return false;
                signatures.Add(Convert.FromHexString(value));
            }
        }
        return hasT && signatures.Count > 0;
    }
}
