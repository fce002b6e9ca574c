namespace Voting.Domain.Push;

/// <summary>The push services a device token can belong to, and what a token looks like.</summary>
public static class PushPlatforms
{
    /// <summary>Firebase Cloud Messaging (Android, and iOS apps that use Firebase).</summary>
    public const string Fcm = "fcm";

    /// <summary>Apple Push Notification service.</summary>
    public const string Apns = "apns";

    public static readonly IReadOnlyList<string> All = [Fcm, Apns];

    /// <summary>Longest token accepted.</summary>
    public const int MaxTokenLength = 4096;

    /// <summary>Whether <paramref name="platform"/> is one of <see cref="All"/> (exactly, lower case).</summary>
    public static bool IsKnown(string? platform) => platform is Fcm or Apns;

    /// <summary>
    /// Whether a token is 1 to <see cref="MaxTokenLength"/> visible ASCII characters. FCM tokens and
    /// APNs device tokens (hex) always are; anything else (spaces, control characters) is a client bug.
    /// </summary>
    public static bool IsWellFormedToken(string? token) =>
        token is { Length: >= 1 and <= MaxTokenLength } && token.All(ch => ch is > ' ' and <= '~');
}
