namespace Voting.Server.Infrastructure;

internal static partial class Log
{
    [LoggerMessage(404, LogLevel.Warning, "Outbox row {Id} ({Kind} to {Recipient}) is a dead letter after {Attempts} attempt(s): {Error}")]
    public static partial void OutboxDead(ILogger logger, long id, string kind, string recipient, int attempts, string error);

    [LoggerMessage(405, LogLevel.Debug, "Outbox row {Id} ({Kind}) failed attempt {Attempts}, next at {Next:o}: {Error}")]
    public static partial void OutboxRetry(ILogger logger, long id, string kind, int attempts, DateTimeOffset next, string error);

    [LoggerMessage(406, LogLevel.Error, "The outbox dispatcher failed; it tries again")]
    public static partial void OutboxFailed(ILogger logger, Exception error);

    [LoggerMessage(408, LogLevel.Error, "The {Kind} handler failed on outbox row {Id}; the row is tried again")]
    public static partial void OutboxHandlerFailed(ILogger logger, Exception error, long id, string kind);
}
