namespace Voting.Server.Infrastructure;

internal static partial class Log
{
    [LoggerMessage(1101, LogLevel.Warning, "Counting the outbox for the metrics failed; the last counts stay until the next try")]
    public static partial void OutboxCountFailed(ILogger logger, Exception error);
}
