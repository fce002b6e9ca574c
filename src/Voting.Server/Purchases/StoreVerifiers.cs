using System.Security.Cryptography.X509Certificates;
using Google.Apis.Auth;
using Microsoft.Extensions.Options;
using Voting.Domain.Purchases;

namespace Voting.Server.Purchases;

/// <summary>
/// The App Store verifier built from configuration: the configured roots (PEM or DER files) or the
/// embedded Apple Root CA - G3, whose fingerprint the domain checks as it loads. Null when
/// <c>Purchases:Apple:BundleId</c> is not set (iOS purchases and notifications are then refused).
/// </summary>
public sealed class AppleReceipts
{
    public AppleReceipts(IOptions<PurchaseOptions> options, IHostEnvironment env)
    {
        var o = options.Value.Apple;
        if (!o.IsConfigured) return;
        IReadOnlyList<X509Certificate2> roots = o.RootCertificates.Length == 0 ? [AppStoreVerifier.AppleRootCaG3] : [.. o.RootCertificates.Select(Load)];
        Verifier = new AppStoreVerifier(new AppleVerifierSettings(roots, o.BundleId!, o.Environment, env.IsDevelopment()));
    }

    public AppStoreVerifier? Verifier { get; }

    private static X509Certificate2 Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        return text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal)
            ? X509Certificate2.CreateFromPem(text)
            : X509CertificateLoader.LoadCertificate(bytes);
    }
}

public enum PushAuthResult { Valid, Invalid, Unavailable }

/// <summary>
/// Google Cloud Pub/Sub push authentication: the OIDC token in <c>Authorization: Bearer</c>, signed by
/// Google (keys from <c>Purchases:Google:PushCertificatesUrl</c>, Google's by default), issued by
/// accounts.google.com, for <c>Purchases:Google:PushAudience</c>, current, and from the configured
/// service account when one is set.
/// </summary>
public sealed class GooglePushAuth(IOptions<PurchaseOptions> options, ILogger<GooglePushAuth> logger)
{
    private readonly GooglePlayOptions _o = options.Value.Google;

    public bool IsConfigured => !string.IsNullOrEmpty(_o.PushAudience);

    public async Task<PushAuthResult> VerifyAsync(string? authorization, CancellationToken ct)
    {
        if (!IsConfigured) return PushAuthResult.Invalid;
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal)) return PushAuthResult.Invalid;
        var jwt = authorization["Bearer ".Length..].Trim();
        var verification = new SignedTokenVerificationOptions
        {
            TrustedAudiences = { _o.PushAudience! },
            TrustedIssuers = { "https://accounts.google.com", "accounts.google.com" },
            CertificatesUrl = _o.PushCertificatesUrl,
            IssuedAtClockTolerance = TimeSpan.FromSeconds(30),
            ExpiryClockTolerance = TimeSpan.FromSeconds(30),
        };
        try
        {
            var payload = await JsonWebSignature.VerifySignedTokenAsync<GoogleJsonWebSignature.Payload>(jwt, verification, ct);
            if (!string.IsNullOrEmpty(_o.PushServiceAccount)
                && (!string.Equals(payload.Email, _o.PushServiceAccount, StringComparison.OrdinalIgnoreCase) || !payload.EmailVerified))
                return PushAuthResult.Invalid;
            return PushAuthResult.Valid;
        }
        catch (InvalidJwtException)
        {
            return PushAuthResult.Invalid;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            PurchaseLog.PushKeysUnavailable(logger, e.Message);
            return PushAuthResult.Unavailable;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A token the library cannot even read (bad base64, bad JSON): refused, never applied.
            return PushAuthResult.Invalid;
        }
    }
}
