namespace Voting.LoadTest;

/// <summary>The measured figures of a <c>votes</c> run, warm-up excluded.</summary>
internal sealed record LoadResult
{
    /// <summary>The subcommand measured: "votes" (cast_vote) or "sms" (the Smart webhook).</summary>
    public string Command { get; init; } = "votes";
    public required Uri Url { get; init; }
    public required int Connections { get; init; }
    public required int Voters { get; init; }
    public required int VoteCount { get; init; }
    public required bool Idempotency { get; init; }
    public required int WarmupSeconds { get; init; }
    public required int PlannedSeconds { get; init; }
    public required double MeasuredSeconds { get; init; }
    public required bool StoppedEarly { get; init; }
    public required long Requests { get; init; }
    public required LatencyHistogram Committed { get; init; }
    public required LatencyHistogram Answered { get; init; }
    public required IReadOnlyList<Refusal> Refusals { get; init; }
    public required IReadOnlyList<KeyValuePair<string, long>> TransportErrors { get; init; }
    public required double? WarmupRequestsPerSecond { get; init; }
    public required IReadOnlyList<string> Warnings { get; init; }

    /// <summary>Committed votes per server, in the order the servers were given (one entry for one server).</summary>
    public IReadOnlyList<long> CommittedVotesByTarget { get; init; } = [];

    /// <summary>"Votes" is the sum of vote_count, so a 200 answer commits <see cref="VoteCount"/> votes.</summary>
    public long CommittedVotes => Committed.Count * VoteCount;

    public double CommittedVotesPerSecond => PerSecond(CommittedVotes);
    public double CommittedRequestsPerSecond => PerSecond(Committed.Count);
    public double RequestsPerSecond => PerSecond(Requests);
    public long TransportErrorCount => TransportErrors.Sum(e => e.Value);
    public double RequestsPerVoterPerMinute => RequestsPerSecond * 60 / Voters;

    private double PerSecond(long count) => MeasuredSeconds > 0 ? count / MeasuredSeconds : 0;
}
