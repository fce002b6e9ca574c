using Voting.Server.Infrastructure;

namespace Voting.Server.Live;

// The push message contract, shared with the results page and the apps (keep it exactly).

/// <summary>Every push message: <c>{ type, seq, episode_id, sent_at, data }</c>. STATE_UPDATE's data is the show's <see cref="Show.ShowStateDto"/>.</summary>
public sealed record PushEnvelope<T>(string Type, long Seq, long EpisodeId, string SentAt, T Data);

public sealed record LiveResultDto(long ContestantId, string Name, int BallotNumber, string? PhotoUrl, long Votes, string FormattedCount,
    decimal Percentage, int Rank, int Change, string Trend);

/// <param name="AsOf">Server time of the newest vote the snapshot includes; null before the first vote.</param>
public sealed record LiveResultsDto(IReadOnlyList<LiveResultDto> Results, long TotalVotes, long TimeRemainingSeconds, string? AsOf)
{
    /// <summary>The seed's countdown object; the number is <see cref="TimeRemainingSeconds"/>.</summary>
    public TimeRemainingDto TimeRemaining => TimeRemainingDto.Of(TimeRemainingSeconds);
}

public sealed record VotingContestantDto(long ContestantId, string Name, int BallotNumber, string? PhotoUrl);

public sealed record VotingOpenDto(string OpensAt, string ClosesAt, long Remaining, IReadOnlyList<VotingContestantDto> Contestants);

/// <summary>TIME_UPDATE, WARNING and COUNTDOWN data.</summary>
public sealed record TimerDto(long Remaining, string ClosesAt);

public sealed record VotingClosedDto(string ClosedAt, string Reason);

public sealed record AuditRefDto(string Digest, long VoteCount);

public sealed record ResultsReadyDto(IReadOnlyList<LiveResultDto> Results, long TotalVotes, AuditRefDto Audit);

public sealed record VoteUpdateDto(long ContestantId, long Votes, decimal Percentage, int Rank);

public sealed record RecentVoteDto(string Voter, int VoteCount, string VoteType, string At);

public sealed record DetailedUpdateDto(long ContestantId, IReadOnlyList<RecentVoteDto> RecentVotes, string Trending);

/// <summary>Message types on the wire.</summary>
public static class PushTypes
{
    public const string StateUpdate = "STATE_UPDATE";
    public const string LiveResults = "LIVE_RESULTS";
    public const string VotingOpen = "VOTING_OPEN";
    public const string TimeUpdate = "TIME_UPDATE";
    public const string Warning = "WARNING";
    public const string Countdown = "COUNTDOWN";
    public const string VotingClosed = "VOTING_CLOSED";
    public const string ResultsReady = "RESULTS_READY";
    public const string VoteUpdate = "vote_update";
    public const string DetailedUpdate = "detailed_update";
}
