using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Voting.Domain.Purchases;

/// <summary>
/// Verifies App Store JWS (StoreKit 2 transactions and Server Notifications V2) offline, in the
/// order API.md gives: compact form, header (<c>alg</c> ES256, <c>x5c</c> of 3), <c>signedDate</c>,
/// the chain from <c>x5c[0]</c> through <c>x5c[1]</c> to a configured root at <c>signedDate</c>
/// (<c>x5c[2]</c> is never trusted nor used), the Apple OIDs, the ES256 signature, then the payload
/// rules. A leaf whose key is not ECDSA P-256 fails as <see cref="AppleFailure.BadSignature"/>.
/// Thread-safe; meant to be a singleton. A header already verified (the same leaf signs many
/// transactions) is remembered with its chain's validity window and key, so the common case costs
/// one signature check and no chain build.
/// </summary>
public sealed class AppStoreVerifier
{
    public const string LeafOid = "1.2.840.113635.100.6.11.1", IntermediateOid = "1.2.840.113635.100.6.2.1";
    public const string AppleRootCaG3Sha256 = "63343ABFB89A6A03EBB57E9B3F5FA7BE7C4F5C756F3017B3A8C488C3653E9179";

    private const int MaxJwsLength = 256 * 1024, MaxRememberedHeaders = 32;
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private static readonly SearchValues<char> Base64UrlChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>The embedded Apple Root CA - G3, checked against <see cref="AppleRootCaG3Sha256"/> when the type loads. Shared: do not dispose.</summary>
    public static X509Certificate2 AppleRootCaG3 { get; } = LoadAppleRoot();

    private readonly AppleVerifierSettings _settings;
    private readonly X509Certificate2Collection _roots;
    private readonly ConcurrentDictionary<string, AppleTrustedHeader> _trusted = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AppleTrustedHeader>.AlternateLookup<ReadOnlySpan<char>> _trustedBySpan;

    public AppStoreVerifier(AppleVerifierSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Roots is not { Count: > 0 } || settings.Roots.Any(r => r is null))
            throw new ArgumentException("At least one root certificate is required.", nameof(settings));
        ArgumentException.ThrowIfNullOrWhiteSpace(settings.BundleId, nameof(settings));
        ArgumentException.ThrowIfNullOrWhiteSpace(settings.Environment, nameof(settings));
        _settings = settings;
        _roots = [.. settings.Roots];
        _trustedBySpan = _trusted.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>A purchase: every check, including <c>type</c> = <c>Consumable</c> and <c>quantity</c> 1..100 (default 1).</summary>
    public AppleVerification<AppleTransaction> VerifyTransaction(string jws) => VerifyTransaction(jws, requireConsumable: true);

    /// <summary>
    /// An App Store Server Notification V2 <c>signedPayload</c>: verified like a transaction, then
    /// <c>notificationType</c> and <c>notificationUUID</c> required, <c>data.bundleId</c> and
    /// <c>data.environment</c> checked, and <c>data.signedTransactionInfo</c>, when present, verified
    /// as a transaction of any type (a failure there is the notification's failure).
    /// </summary>
    public AppleVerification<AppleNotification> VerifyNotification(string signedPayload)
    {
        var check = VerifyJws(signedPayload, out var payload, out var signedDate);
        try
        {
            if (check.Failed) return new(null, check.Failure, check.Detail);
            var r = new ApplePayloadReader(payload.Root);
            var type = r.String("notificationType", required: true);
            var subtype = r.String("subtype", required: false);
            var uuid = r.String("notificationUUID", required: true);
            if (r.Object("data") is { } data) r.Enter(data, "data");
            var (bundleId, environment) = ReadBundleAndEnvironment(ref r);
            var signedTransaction = r.String("signedTransactionInfo", required: false);
            if (r.Failed) return new(null, r.Failure, r.Detail);

            AppleTransaction? transaction = null;
            if (signedTransaction is not null)
            {
                var inner = VerifyTransaction(signedTransaction, requireConsumable: false);
                if (!inner.Ok) return new(null, inner.Failure, "data.signedTransactionInfo: " + inner.Detail);
                transaction = inner.Value;
            }
            return new(new AppleNotification(type!, subtype, uuid!, signedDate, bundleId!, environment!, transaction), AppleFailure.None, "verified");
        }
        finally
        {
            payload.Dispose();
        }
    }

    private AppleVerification<AppleTransaction> VerifyTransaction(string jws, bool requireConsumable)
    {
        var check = VerifyJws(jws, out var payload, out var signedDate);
        try
        {
            if (check.Failed) return new(null, check.Failure, check.Detail);
            var r = new ApplePayloadReader(payload.Root);
            var (bundleId, environment) = ReadBundleAndEnvironment(ref r);
            var type = r.String("type", required: true);
            if (requireConsumable && type is not null && type != "Consumable")
                r.Fail(AppleFailure.NotConsumable, $"type {type} is not Consumable");
            var transactionId = r.String("transactionId", required: true);
            var originalTransactionId = r.String("originalTransactionId", required: true);
            var productId = r.String("productId", required: true);
            var purchaseDate = r.Millis("purchaseDate", required: true);
            var quantity = r.Int64("quantity", required: false) ?? 1;
            if (quantity is < 1 or > 100) r.Fail(AppleFailure.Malformed, $"quantity {quantity} is outside 1..100");
            var appAccountToken = r.Uuid("appAccountToken");
            var price = r.Int64("price", required: false);
            var currency = r.String("currency", required: false);
            var revocationDate = r.Millis("revocationDate", required: false);
            if (r.Failed) return new(null, r.Failure, r.Detail);

            return new(new AppleTransaction(transactionId!, originalTransactionId!, productId!, bundleId!, (int)quantity, type!,
                appAccountToken, purchaseDate!.Value, signedDate, environment!, price, currency, revocationDate), AppleFailure.None, "verified");
        }
        finally
        {
            payload.Dispose();
        }
    }

    private (string? BundleId, string? Environment) ReadBundleAndEnvironment(ref ApplePayloadReader r)
    {
        var bundleId = r.String("bundleId", required: true);
        if (bundleId is not null && bundleId != _settings.BundleId)
            r.Fail(AppleFailure.WrongBundle, $"bundleId {bundleId} is not {_settings.BundleId}");
        var environment = r.String("environment", required: true);
        if (environment is "Xcode" or "LocalTesting" && !_settings.IsDevelopment)
            r.Fail(AppleFailure.WrongEnvironment, $"environment {environment} is accepted in Development only");
        else if (environment is not null && environment != _settings.Environment)
            r.Fail(AppleFailure.WrongEnvironment, $"environment {environment} is not {_settings.Environment}");
        return (bundleId, environment);
    }

    /// <summary>Every step up to and including the signature; the payload is returned parsed (dispose it, whatever the result).</summary>
    private AppleCheck VerifyJws(string jws, out PooledJson payload, out DateTimeOffset signedDate)
    {
        payload = default;
        signedDate = default;
        if (!TrySplit(jws, out var headerEnd, out var payloadEnd, out var why)) return new(AppleFailure.Malformed, why);
        var header = jws.AsSpan(0, headerEnd);

        var remembered = _trustedBySpan.TryGetValue(header, out var found) ? found : null;
        X509Certificate2? leaf = null, intermediate = null;
        try
        {
            AppleCheck check;
            // A remembered header passed the alg and x5c checks already: it is the same text.
            if (remembered is null && (check = ReadHeader(header, out leaf, out intermediate)).Failed) return check;
            if ((check = PooledJson.Decode(jws.AsSpan(headerEnd + 1, payloadEnd - headerEnd - 1), "payload", out payload)).Failed) return check;
            var r = new ApplePayloadReader(payload.Root);
            var date = r.Millis("signedDate", required: true);
            if (r.Failed) return new(r.Failure, r.Detail);
            signedDate = date!.Value;

            var trusted = remembered is not null && remembered.Covers(signedDate) ? remembered : null;
            if (trusted is null)
            {
                if (leaf is null && (check = ReadHeader(header, out leaf, out intermediate)).Failed) return check;
                if ((check = BuildChain(leaf!, intermediate!, signedDate, out trusted)).Failed) return check;
            }
            if ((check = trusted!.VerifySignature(jws.AsSpan(0, payloadEnd), jws.AsSpan(payloadEnd + 1))).Failed) return check;
            if (trusted != remembered) Remember(header, trusted);
            return default;
        }
        finally
        {
            leaf?.Dispose();
            intermediate?.Dispose();
        }
    }

    private static bool TrySplit(string jws, out int headerEnd, out int payloadEnd, out string why)
    {
        headerEnd = payloadEnd = -1;
        why = "";
        if (string.IsNullOrEmpty(jws) || jws.Length > MaxJwsLength) why = "JWS is empty or too long";
        else if ((headerEnd = jws.IndexOf('.', StringComparison.Ordinal)) < 0
            || (payloadEnd = jws.IndexOf('.', headerEnd + 1)) < 0
            || jws.IndexOf('.', payloadEnd + 1) >= 0)
            why = "JWS is not three dot-separated parts";
        else if (!IsBase64Url(jws.AsSpan(0, headerEnd)) || !IsBase64Url(jws.AsSpan(headerEnd + 1, payloadEnd - headerEnd - 1))
            || !IsBase64Url(jws.AsSpan(payloadEnd + 1)))
            why = "JWS part is empty or not unpadded base64url";
        return why.Length == 0;
    }

    private static bool IsBase64Url(ReadOnlySpan<char> part) =>
        part.Length > 0 && part.Length % 4 != 1 && !part.ContainsAnyExcept(Base64UrlChars);

    private static AppleCheck ReadHeader(ReadOnlySpan<char> segment, out X509Certificate2? leaf, out X509Certificate2? intermediate)
    {
        leaf = intermediate = null;
        var check = PooledJson.Decode(segment, "header", out var json);
        using (json)
        {
            if (check.Failed) return check;
            var header = json.Root;
            if (!header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || !alg.ValueEquals("ES256"))
                return new(AppleFailure.UnsupportedAlgorithm, "alg is not ES256");
            if (header.TryGetProperty("crit", out _)) return new(AppleFailure.Malformed, "crit header parameters are not supported");
            if (!header.TryGetProperty("x5c", out var x5c) || x5c.ValueKind != JsonValueKind.Array || x5c.GetArrayLength() != 3)
                return new(AppleFailure.Malformed, "x5c is not an array of 3 certificates");

            var certificates = new X509Certificate2?[3];
            for (var i = 0; i < 3; i++)
            {
                if (x5c[i].ValueKind != JsonValueKind.String || !x5c[i].TryGetBytesFromBase64(out var der) || der.Length == 0)
                    return Dispose(certificates, new(AppleFailure.Malformed, $"x5c[{i}] is not base64"));
                try { certificates[i] = X509CertificateLoader.LoadCertificate(der); }
                catch (CryptographicException) { return Dispose(certificates, new(AppleFailure.Malformed, $"x5c[{i}] is not a DER certificate")); }
            }
            // x5c[2] only had to be well formed: the root comes from the settings, never from the JWS.
            certificates[2]!.Dispose();
            (leaf, intermediate) = (certificates[0], certificates[1]);
            return default;
        }

        static AppleCheck Dispose(X509Certificate2?[] certificates, AppleCheck check)
        {
            foreach (var certificate in certificates) certificate?.Dispose();
            return check;
        }
    }

    private AppleCheck BuildChain(X509Certificate2 leaf, X509Certificate2 intermediate, DateTimeOffset at, out AppleTrustedHeader? trusted)
    {
        trusted = null;
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(_roots);
        policy.ExtraStore.Add(intermediate);
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = at.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        try
        {
            if (!chain.Build(leaf)) return new(AppleFailure.CertificateChain, DescribeFailure(chain, at));
            var elements = chain.ChainElements;
            if (elements.Count != 3 || !SameCertificate(elements[1].Certificate, intermediate) || !IsConfiguredRoot(elements[2].Certificate))
                return new(AppleFailure.CertificateChain, $"chain is not x5c[0] -> x5c[1] -> a configured root ({elements.Count} elements)");
            if (leaf.Extensions[LeafOid] is null) return new(AppleFailure.MissingAppleOid, $"leaf lacks the Apple OID {LeafOid}");
            if (intermediate.Extensions[IntermediateOid] is null)
                return new(AppleFailure.MissingAppleOid, $"intermediate lacks the Apple OID {IntermediateOid}");

            using var key = leaf.GetECDsaPublicKey();
            if (key is null || key.ExportParameters(false).Curve.Oid?.Value != P256Oid)
                return new(AppleFailure.BadSignature, "leaf key is not ECDSA P-256");
            var notBefore = elements.Max(e => e.Certificate.NotBefore.ToUniversalTime());
            var notAfter = elements.Min(e => e.Certificate.NotAfter.ToUniversalTime());
            trusted = new AppleTrustedHeader(notBefore, notAfter, key.ExportSubjectPublicKeyInfo());
            return default;
        }
        finally
        {
            foreach (var element in chain.ChainElements) element.Certificate.Dispose();
        }
    }

    private bool IsConfiguredRoot(X509Certificate2 certificate)
    {
        foreach (var root in _roots)
            if (SameCertificate(root, certificate)) return true;
        return false;
    }

    private static bool SameCertificate(X509Certificate2 a, X509Certificate2 b) => a.RawDataMemory.Span.SequenceEqual(b.RawDataMemory.Span);

    private static string DescribeFailure(X509Chain chain, DateTimeOffset at)
    {
        var problems = new List<string>();
        foreach (var element in chain.ChainElements)
            foreach (var status in element.ChainElementStatus)
                problems.Add($"{element.Certificate.Subject}: {status.Status} ({status.StatusInformation.Trim()})");
        if (problems.Count == 0)
            problems.AddRange(chain.ChainStatus.Select(s => $"{s.Status} ({s.StatusInformation.Trim()})"));
        return $"chain to a configured root fails at signedDate {at:O}: {string.Join("; ", problems)}";
    }

    private void Remember(ReadOnlySpan<char> header, AppleTrustedHeader trusted)
    {
        // Only headers whose leaf key just verified a signature get here, so the cache holds Apple's
        // few current leaves; the bound is against surprises, not against attackers.
        if (_trusted.Count >= MaxRememberedHeaders) _trusted.Clear();
        _trusted[header.ToString()] = trusted;
    }

    private static X509Certificate2 LoadAppleRoot()
    {
        var der = Convert.FromBase64String(AppleRootCaG3Base64);
        var fingerprint = Convert.ToHexString(SHA256.HashData(der));
        if (fingerprint != AppleRootCaG3Sha256)
            throw new InvalidOperationException($"The embedded Apple Root CA - G3 has SHA-256 {fingerprint}, expected {AppleRootCaG3Sha256}.");
        return X509CertificateLoader.LoadCertificate(der);
    }

    private const string AppleRootCaG3Base64 =
        "MIICQzCCAcmgAwIBAgIILcX8iNLFS5UwCgYIKoZIzj0EAwMwZzEbMBkGA1UEAwwSQXBwbGUgUm9vdCBDQSAtIEczMSYwJAYDVQQL" +
        "DB1BcHBsZSBDZXJ0aWZpY2F0aW9uIEF1dGhvcml0eTETMBEGA1UECgwKQXBwbGUgSW5jLjELMAkGA1UEBhMCVVMwHhcNMTQwNDMw" +
        "MTgxOTA2WhcNMzkwNDMwMTgxOTA2WjBnMRswGQYDVQQDDBJBcHBsZSBSb290IENBIC0gRzMxJjAkBgNVBAsMHUFwcGxlIENlcnRp" +
        "ZmljYXRpb24gQXV0aG9yaXR5MRMwEQYDVQQKDApBcHBsZSBJbmMuMQswCQYDVQQGEwJVUzB2MBAGByqGSM49AgEGBSuBBAAiA2IA" +
        "BJjpLz1AcqTtkyJygRMc3RCV8cWjTnHcFBbZDuWmBSp3ZHtfTjjTuxxEtX/1H7YyYl3J6YRbTzBPEVoA/VhYDKX1DyxNB0cTddqX" +
        "l5dvMVztK517IDvYuVTZXpmkOlEKMaNCMEAwHQYDVR0OBBYEFLuw3qFYM4iapIqZ3r6966/ayySrMA8GA1UdEwEB/wQFMAMBAf8w" +
        "DgYDVR0PAQH/BAQDAgEGMAoGCCqGSM49BAMDA2gAMGUCMQCD6cHEFl4aXTQY2e3v9GwOAEZLuN+yRhHFD/3meoyhpmvOwgPUnPWT" +
        "xnS4at+qIxUCMG1mihDK1A3UT82NQz60imOlM27jbdoXt2QfyFMm+YhidDkLF1vLUagM6BgD56KyKA==";
}
