namespace Voting.Server.Purchases;

internal static partial class PurchaseLog
{
    [LoggerMessage(EventId = 900, Level = LogLevel.Warning, Message = "Google's OIDC keys could not be fetched: {Error}")]
    public static partial void PushKeysUnavailable(ILogger logger, string error);

    [LoggerMessage(EventId = 901, Level = LogLevel.Warning, Message = "Google Play could not verify a purchase: {Error}")]
    public static partial void GoogleUnavailable(ILogger logger, string error);

    [LoggerMessage(EventId = 902, Level = LogLevel.Information, Message = "Purchase {PurchaseId} ({Platform} {TransactionId}) credited {Votes} votes to voter {Voter}")]
    public static partial void Credited(ILogger logger, long purchaseId, string platform, string transactionId, long votes, long voter);

    [LoggerMessage(EventId = 903, Level = LogLevel.Information, Message = "{Source} notification {NotificationId} ({Type}): {Outcome}, purchase {PurchaseId}")]
    public static partial void Notice(ILogger logger, string source, string notificationId, string type, string outcome, long? purchaseId);

    [LoggerMessage(EventId = 904, Level = LogLevel.Warning, Message = "{Source} notification refused: {Reason}")]
    public static partial void NoticeRefused(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 905, Level = LogLevel.Information, Message = "{What} are off: set {Keys} to turn them on")]
    public static partial void StoreOff(ILogger logger, string what, string keys);

    [LoggerMessage(EventId = 906, Level = LogLevel.Warning, Message = "Google Play's voided purchases could not be read: {Error}")]
    public static partial void VoidedPollFailed(ILogger logger, string error);
}
