using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Voting.Server.Push;

/// <summary>Push notifications (configuration section <c>Push</c>).</summary>
public sealed class PushOptions
{
    /// <summary>A voter's votes within this many seconds of the first become one notification.</summary>
    [Range(0, 3600)]
    public int CoalesceSeconds { get; set; } = 30;

    /// <summary>How often the coalescer looks for due notifications.</summary>
    [Range(10, 60_000)]
    public int ScanMilliseconds { get; set; } = 1000;

    /// <summary>Voters' pending notifications taken per transaction.</summary>
    [Range(1, 500)]
    public int BatchSize { get; set; } = 200;

    public FcmOptions Fcm { get; set; } = new();
    public ApnsOptions Apns { get; set; } = new();

    public TimeSpan Coalesce => TimeSpan.FromSeconds(CoalesceSeconds);
    public TimeSpan Scan => TimeSpan.FromMilliseconds(ScanMilliseconds);
}

/// <summary>Firebase Cloud Messaging, HTTP v1 API (<c>Push:Fcm</c>).</summary>
public sealed class FcmOptions
{
    public string BaseUrl { get; set; } = "https://fcm.googleapis.com";

    /// <summary>The Firebase project the app belongs to.</summary>
    public string? ProjectId { get; set; }

    /// <summary>A service account's JSON key; its <c>token_uri</c> is where access tokens come from.</summary>
    public string? ServiceAccountKeyFile { get; set; }

    public bool IsConfigured => !string.IsNullOrEmpty(ProjectId) && !string.IsNullOrEmpty(ServiceAccountKeyFile);
}

/// <summary>Apple Push Notification service with a provider token (<c>Push:Apns</c>).</summary>
public sealed class ApnsOptions
{
    /// <summary>https://api.sandbox.push.apple.com for development builds of the app.</summary>
    public string BaseUrl { get; set; } = "https://api.push.apple.com";

    public string? TeamId { get; set; }
    public string? KeyId { get; set; }

    /// <summary>The .p8 signing key (PKCS#8 PEM, P-256) from the developer account.</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>The app's bundle id: the <c>apns-topic</c>.</summary>
    public string? BundleId { get; set; }

    /// <summary>How long one provider token is used: Apple refuses new ones more often than every 20 minutes and old ones after 60.</summary>
    [Range(20, 50)]
    public int TokenMinutes { get; set; } = 40;

    public bool IsConfigured => !string.IsNullOrEmpty(TeamId) && !string.IsNullOrEmpty(KeyId)
        && !string.IsNullOrEmpty(PrivateKeyFile) && !string.IsNullOrEmpty(BundleId);
}

/// <summary>Each push service is configured completely or not at all, with files that exist and absolute http(s) URLs.</summary>
public sealed class PushOptionsValidator : IValidateOptions<PushOptions>
{
    public ValidateOptionsResult Validate(string? name, PushOptions options)
    {
        var problems = new List<string>();
        var fcm = options.Fcm;
        Check(problems, "Push:Fcm", fcm.BaseUrl, fcm.IsConfigured,
            [(fcm.ProjectId, "ProjectId"), (fcm.ServiceAccountKeyFile, "ServiceAccountKeyFile")], fcm.ServiceAccountKeyFile, "ServiceAccountKeyFile");
        var apns = options.Apns;
        Check(problems, "Push:Apns", apns.BaseUrl, apns.IsConfigured,
            [(apns.TeamId, "TeamId"), (apns.KeyId, "KeyId"), (apns.PrivateKeyFile, "PrivateKeyFile"), (apns.BundleId, "BundleId")],
            apns.PrivateKeyFile, "PrivateKeyFile");
        if (apns.TokenMinutes is < 20 or > 50) problems.Add("Push:Apns:TokenMinutes must be from 20 to 50");
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void Check(List<string> problems, string section, string url, bool configured, (string? Value, string Key)[] keys, string? file, string fileKey)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            problems.Add($"{section}:BaseUrl must be an absolute http(s) URL");
        var set = keys.Where(k => !string.IsNullOrEmpty(k.Value)).ToList();
        if (set.Count > 0 && !configured)
            problems.Add($"{section} is partly configured: set {string.Join(", ", keys.Where(k => string.IsNullOrEmpty(k.Value)).Select(k => k.Key))} too, or none of it");
        if (configured && !File.Exists(file)) problems.Add($"{section}:{fileKey} names no file: {file}");
    }
}
