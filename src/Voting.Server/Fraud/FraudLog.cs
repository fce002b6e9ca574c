namespace Voting.Server.Fraud;

internal static partial class FraudLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "Travel marks could not be reloaded: {Error}")]
    public static partial void TravelReloadFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "{Count} blocked vote attempt(s) could not be recorded: {Error}")]
    public static partial void BlockedNotRecorded(ILogger logger, int count, string error);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Fraud scoring on: {Proxies} proxy ranges, {Countries} country ranges, allowed countries {Allowed}, review over {Review}, block over {Block}")]
    public static partial void Scoring(ILogger logger, int proxies, int countries, IEnumerable<string> allowed, decimal review, decimal block);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Vote of voter {Voter} {Outcome} (score {Score}: {Reasons})")]
    public static partial void Flagged(ILogger logger, long voter, string outcome, decimal score, IReadOnlyList<string> reasons);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Review {ReviewId} {Decision} by {Actor}")]
    public static partial void Decided(ILogger logger, long reviewId, string decision, string actor);
}
