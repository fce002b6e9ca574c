namespace Voting.Server.Infrastructure;

internal static partial class Log
{
    [LoggerMessage(501, LogLevel.Warning, "No push service is configured (Push:Fcm, Push:Apns): viewers can register devices, but their notifications become dead letters")]
    public static partial void NoPushSender(ILogger logger);

    [LoggerMessage(502, LogLevel.Warning, "{Platform} push is not configured (set {Keys}): notifications to {Platform} devices become dead letters")]
    public static partial void PushSenderMissing(ILogger logger, string platform, string keys);

    [LoggerMessage(503, LogLevel.Information, "Outbox row {Id}: the {Platform} token of {Recipient} is no longer valid; forgotten: {Forgotten}")]
    public static partial void PushTokenGone(ILogger logger, long id, string platform, string recipient, bool forgotten);

    [LoggerMessage(504, LogLevel.Error, "The push coalescer failed; it tries again")]
    public static partial void PushCoalesceFailed(ILogger logger, Exception error);
}
