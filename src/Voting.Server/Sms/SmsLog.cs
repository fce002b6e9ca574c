namespace Voting.Server.Infrastructure;

internal static partial class Log
{
    [LoggerMessage(401, LogLevel.Warning, "{Key} is not configured: the {Carrier} webhook refuses every delivery")]
    public static partial void WebhookCredentialMissing(ILogger logger, string key, string carrier);

    [LoggerMessage(402, LogLevel.Warning, "Sms:{Carrier}:{Key} is not configured: {Consequence}")]
    public static partial void CarrierUrlMissing(ILogger logger, string carrier, string key, string consequence);

    [LoggerMessage(403, LogLevel.Information, "{Carrier} webhook refused a delivery from {Ip}: invalid or missing credentials")]
    public static partial void WebhookUnauthorized(ILogger logger, string carrier, string? ip);

    [LoggerMessage(404, LogLevel.Warning, "Outbox row {Id} ({Kind} to {Recipient}) is a dead letter after {Attempts} attempt(s): {Error}")]
    public static partial void OutboxDead(ILogger logger, long id, string kind, string recipient, int attempts, string error);

    [LoggerMessage(405, LogLevel.Debug, "Outbox row {Id} ({Kind}) failed attempt {Attempts}, next at {Next:o}: {Error}")]
    public static partial void OutboxRetry(ILogger logger, long id, string kind, int attempts, DateTimeOffset next, string error);

    [LoggerMessage(406, LogLevel.Error, "The outbox dispatcher failed; it tries again")]
    public static partial void OutboxFailed(ILogger logger, Exception error);

    [LoggerMessage(407, LogLevel.Information, "Development charge of {Amount} {Currency} to {Phone} on {Carrier} confirmed without a carrier: {Description}")]
    public static partial void DevCharge(ILogger logger, decimal amount, string currency, string phone, string carrier, string description);
}
