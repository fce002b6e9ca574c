using Voting.Storage;

namespace Voting.Server.Push;

public enum PushOutcome
{
    /// <summary>The push service took the notification.</summary>
    Sent,
    /// <summary>The device token is no longer valid (app uninstalled, token rotated): forget it, never retry.</summary>
    TokenGone,
    /// <summary>Unreachable, throttled (429), 5xx or a timeout: try again later.</summary>
    Retry,
    /// <summary>Refused (another 4xx): sending it again will not help.</summary>
    Rejected,
}

public sealed record PushResult(PushOutcome Outcome, string? Error = null)
{
    public static readonly PushResult Sent = new(PushOutcome.Sent);
}

/// <summary>One push service's API.</summary>
public interface IPushSender
{
    /// <summary>The platform of the tokens it serves (<see cref="Domain.Push.PushPlatforms"/>).</summary>
    string Platform { get; }

    /// <summary>Whether its configuration is complete; a row for a platform whose sender is not is a dead letter.</summary>
    bool IsConfigured { get; }

    /// <summary>The configuration keys to set, for the dead letter's error and the start-up warning.</summary>
    string ConfigurationKeys { get; }

    Task<PushResult> SendAsync(PushPayload notification, CancellationToken ct);
}

/// <summary>What a push service's error answer says, in general: throttling and its own failures pass, other refusals do not.</summary>
internal static class PushAnswers
{
    public static PushResult OfStatus(int status, string error) =>
        status == 429 || status >= 500 ? new PushResult(PushOutcome.Retry, error) : new PushResult(PushOutcome.Rejected, error);

    public static string Shorten(string text) => text.Length <= 200 ? text : text[..200];
}
