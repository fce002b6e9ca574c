namespace Voting.Server.Infrastructure;

internal static partial class Log
{
    [LoggerMessage(503, LogLevel.Information, "Outbox row {Id}: the {Platform} token of {Recipient} is no longer valid; forgotten: {Forgotten}")]
    public static partial void PushTokenGone(ILogger logger, long id, string platform, string recipient, bool forgotten);

    [LoggerMessage(504, LogLevel.Error, "The push coalescer failed; it tries again")]
    public static partial void PushCoalesceFailed(ILogger logger, Exception error);
}
