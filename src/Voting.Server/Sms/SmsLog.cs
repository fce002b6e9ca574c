namespace Voting.Server.Infrastructure;

internal static partial class Log
{
    [LoggerMessage(403, LogLevel.Information, "{Carrier} webhook refused a delivery from {Ip}: invalid or missing credentials")]
    public static partial void WebhookUnauthorized(ILogger logger, string carrier, string? ip);

    [LoggerMessage(407, LogLevel.Information, "Development charge of {Amount} {Currency} to {Phone} on {Carrier} confirmed without a carrier: {Description}")]
    public static partial void DevCharge(ILogger logger, decimal amount, string currency, string phone, string carrier, string description);

    [LoggerMessage(408, LogLevel.Information, "Development refund of {Amount} {Currency} to {Phone} on {Carrier} confirmed without a carrier (charge {ChargeKey})")]
    public static partial void DevRefund(ILogger logger, decimal amount, string currency, string phone, string carrier, string chargeKey);
}
