namespace Voting.Server.Infrastructure;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Store ready: provider {Provider}, migrations applied")]
    public static partial void StoreReady(ILogger logger, string provider);

    [LoggerMessage(2, LogLevel.Warning, "Before going on air ({Count}):{Notes}")]
    public static partial void StartupWarnings(ILogger logger, int count, string notes);

    [LoggerMessage(3, LogLevel.Information, "Try it:{Commands}")]
    public static partial void TryIt(ILogger logger, string commands);

    [LoggerMessage(4, LogLevel.Information, "Demo season seeded: episode {EpisodeId} '{Title}' is open for voting until {End:u}")]
    public static partial void DemoSeeded(ILogger logger, long episodeId, string title, DateTimeOffset end);

    [LoggerMessage(6, LogLevel.Information, "Development SMS to {Phone}: {Message}")]
    public static partial void DevSms(ILogger logger, string phone, string message);

    [LoggerMessage(7, LogLevel.Error, "A vote batch of {Count} failed; retrying its votes one by one")]
    public static partial void BatchFailed(ILogger logger, Exception error, int count);

    [LoggerMessage(8, LogLevel.Error, "A vote failed on its own")]
    public static partial void VoteFailed(ILogger logger, Exception error);

    [LoggerMessage(9, LogLevel.Information, "Vote writer stopped after draining {Count} queued votes")]
    public static partial void WriterDrained(ILogger logger, int count);

    [LoggerMessage(11, LogLevel.Information, "Vote writer: {Votes} votes in {Seconds:F1} s, {Batches} batches, {PerBatch:F1} votes/batch, {CommitMs:F2} ms/commit")]
    public static partial void WriterStats(ILogger logger, long votes, double seconds, long batches, double perBatch, double commitMs);

    [LoggerMessage(10, LogLevel.Error, "Unhandled error on {Path}")]
    public static partial void Unhandled(ILogger logger, Exception error, string path);

    [LoggerMessage(20, LogLevel.Error, "Live results of episode {EpisodeId} failed")]
    public static partial void LiveFailed(ILogger logger, Exception error, long episodeId);

    [LoggerMessage(22, LogLevel.Information, "Voting closed on time for episode {EpisodeId} by {Actor}")]
    public static partial void ClosedOnTime(ILogger logger, long episodeId, string actor);

    [LoggerMessage(23, LogLevel.Error, "The show clock failed")]
    public static partial void ClockFailed(ILogger logger, Exception error);

    [LoggerMessage(24, LogLevel.Error, "Episode {EpisodeId}: the audit at the close disagrees with the tallies; results are announced from the ledger digest")]
    public static partial void AuditInconsistent(ILogger logger, long episodeId);

    [LoggerMessage(25, LogLevel.Information, "Show clock: this node {Leads} the episode clocks")]
    public static partial void ClockLeadership(ILogger logger, string leads);

    [LoggerMessage(26, LogLevel.Warning, "PostgreSQL notifications lost; reconnecting")]
    public static partial void ListenLost(ILogger logger, Exception error);

    [LoggerMessage(27, LogLevel.Information, "Show of episode {EpisodeId}: {Event} by {Actor}, now {State}")]
    public static partial void ShowChanged(ILogger logger, long episodeId, string @event, string actor, string state);

    [LoggerMessage(28, LogLevel.Information, "Operators (X-Api-Key names): {Names}")]
    public static partial void Operators(ILogger logger, string names);

    [LoggerMessage(29, LogLevel.Error, "The audit log missed an operator action that was done: {Actor} {Action} {Target} (request {RequestId}) {Details}")]
    public static partial void AuditFailed(ILogger logger, Exception error, string actor, string action, string target, string requestId, string? details);
}
