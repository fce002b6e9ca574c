using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Voting.Server.Purchases;

/// <summary>In-app purchases of vote packages (configuration section <c>Purchases</c>).</summary>
public sealed class PurchaseOptions
{
    public TestStoreOptions TestStore { get; set; } = new();
    public AppleStoreOptions Apple { get; set; } = new();
    public GooglePlayOptions Google { get; set; } = new();
}

/// <summary>The development store (<c>Purchases:TestStore</c>): a purchase without any store.</summary>
public sealed class TestStoreOptions
{
    /// <summary>Default: on in Development only. Never in Production.</summary>
    public bool? Enabled { get; set; }
}

/// <summary>The App Store (<c>Purchases:Apple</c>): StoreKit 2 signed transactions, verified offline.</summary>
public sealed class AppleStoreOptions
{
    /// <summary>The app's bundle id; every transaction and notification must carry it. Unset: iOS purchases are refused.</summary>
    public string? BundleId { get; set; }

    /// <summary><c>Production</c> or <c>Sandbox</c> (<c>Xcode</c> and <c>LocalTesting</c> only in Development).</summary>
    public string Environment { get; set; } = "Production";

    /// <summary>PEM or DER files of the roots a chain must end at; empty: the embedded Apple Root CA - G3. Configured roots replace it.</summary>
    public string[] RootCertificates { get; set; } = [];

    public bool IsConfigured => !string.IsNullOrEmpty(BundleId);
}

/// <summary>Google Play (<c>Purchases:Google</c>): the Android Publisher API and Real-time developer notifications.</summary>
public sealed class GooglePlayOptions
{
    /// <summary>The Android app's package name. Unset: Android purchases are refused.</summary>
    public string? PackageName { get; set; }

    public string ApiBaseUrl { get; set; } = "https://androidpublisher.googleapis.com";

    /// <summary>A service account's JSON key with access to the app in Play Console; its <c>token_uri</c> is honoured.</summary>
    public string? ServiceAccountKeyFile { get; set; }

    /// <summary>How long a call to Google may take before the purchase answers 503 VERIFIER_UNAVAILABLE.</summary>
    [Range(1, 60)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>The audience of the Pub/Sub push subscription's OIDC token (the push endpoint's URL, or what the subscription sets).</summary>
    public string? PushAudience { get; set; }

    /// <summary>The service account the push subscription signs as; when set, the token's <c>email</c> must be it.</summary>
    public string? PushServiceAccount { get; set; }

    /// <summary>Where the keys of Google's OIDC tokens are published (JWKS); null: Google's own.</summary>
    public string? PushCertificatesUrl { get; set; }

    /// <summary>How often the voided-purchases list is read as a backstop for lost pushes; 0: never.</summary>
    public int VoidedPollSeconds { get; set; } = 3600;

    /// <summary>How far back each read of the voided-purchases list looks (Google keeps 30 days).</summary>
    public int VoidedLookbackHours { get; set; } = 72;

    /// <summary>Whether a licence tester's purchase credits votes; default: everywhere but Production.</summary>
    public bool? AllowTestPurchases { get; set; }

    public bool IsConfigured => !string.IsNullOrEmpty(PackageName) && !string.IsNullOrEmpty(ServiceAccountKeyFile);
}

/// <summary>Purchase settings that must agree with each other and with the environment.</summary>
public sealed class PurchaseOptionsValidator(IHostEnvironment env) : IValidateOptions<PurchaseOptions>
{
    public ValidateOptionsResult Validate(string? name, PurchaseOptions o)
    {
        var problems = new List<string>();
        if (env.IsProduction() && o.TestStore.Enabled == true) problems.Add("Purchases:TestStore:Enabled must not be true in Production");
        string[] environments = env.IsDevelopment() ? ["Production", "Sandbox", "Xcode", "LocalTesting"] : ["Production", "Sandbox"];
        if (!environments.Contains(o.Apple.Environment, StringComparer.Ordinal))
            problems.Add($"Purchases:Apple:Environment must be one of {string.Join(", ", environments)}");
        for (var i = 0; i < o.Apple.RootCertificates.Length; i++)
        {
            if (!File.Exists(o.Apple.RootCertificates[i])) problems.Add($"Purchases:Apple:RootCertificates:{i} names no file: {o.Apple.RootCertificates[i]}");
        }
        var g = o.Google;
        if (!Uri.TryCreate(g.ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
            problems.Add("Purchases:Google:ApiBaseUrl must be an absolute http(s) URL");
        if (!string.IsNullOrEmpty(g.PackageName) != !string.IsNullOrEmpty(g.ServiceAccountKeyFile))
            problems.Add("Purchases:Google is partly configured: set both Purchases:Google:PackageName and Purchases:Google:ServiceAccountKeyFile, or neither");
        if (g.TimeoutSeconds is < 1 or > 60) problems.Add("Purchases:Google:TimeoutSeconds must be between 1 and 60");
        if (g.VoidedPollSeconds is < 0 or > 86_400) problems.Add("Purchases:Google:VoidedPollSeconds must be between 0 (off) and 86400");
        if (g.VoidedLookbackHours is < 1 or > 720) problems.Add("Purchases:Google:VoidedLookbackHours must be between 1 and 720");
        if (!string.IsNullOrEmpty(g.ServiceAccountKeyFile) && !File.Exists(g.ServiceAccountKeyFile))
            problems.Add($"Purchases:Google:ServiceAccountKeyFile names no file: {g.ServiceAccountKeyFile}");
        if (g.PushCertificatesUrl is { } certs && (!Uri.TryCreate(certs, UriKind.Absolute, out var c) || c.Scheme is not ("http" or "https")))
            problems.Add("Purchases:Google:PushCertificatesUrl must be an absolute http(s) URL");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
