using Voting.Domain;
using Voting.Domain.Results;
using Voting.Domain.Show;
using Voting.Domain.Voting;

namespace Voting.Storage;

/// <summary>The contestant performing, as the screens show them.</summary>
public sealed record ShowPerformer(ContestantId Contestant, string Name, int BallotNumber, string? PhotoUrl, string? Song);

/// <summary>An episode's show as stored. <paramref name="Version"/> grows by one with every transition.</summary>
public sealed record ShowRecord(EpisodeId Episode, string Title, ShowStatus Status, ShowPerformer? Performer, long Version, DateTimeOffset UpdatedAt)
{
    public ShowState State => Status.State;
}

public enum ShowChangeStatus
{
    /// <summary>The transition was made.</summary>
    Applied,
    /// <summary>The same signal was applied before: <see cref="ShowChange.Replay"/> is its answer.</summary>
    Replayed,
    NotFound,
    /// <summary>The contestant is not in the episode's line-up.</summary>
    NotInLineup,
    /// <summary>Another episode's window is open (<see cref="ShowChange.OtherEpisode"/>).</summary>
    OtherEpisodeOpen,
    /// <summary>The state machine refused (<see cref="ShowChange.Refusal"/>); nothing changed.</summary>
    Refused,
}

/// <summary>
/// What a show command did. <paramref name="Show"/> is the show after it (or as it stands, when
/// refused); <paramref name="AlsoClosed"/> names other episodes whose run-out windows an opening closed.
/// </summary>
public sealed record ShowChange(
    ShowChangeStatus Status,
    ShowRecord? Show = null,
    ShowRefusal? Refusal = null,
    long OtherEpisode = 0,
    SignalAnswer? Replay = null,
    IReadOnlyList<EpisodeId>? AlsoClosed = null);

/// <summary>A signed broadcast signal: its dedupe key, its signed time, and how to answer it once applied.</summary>
public sealed record SignalReceipt(string Key, long SignedAt, Func<ShowRecord, SignalAnswer> Answer);

/// <summary>An HTTP answer kept for duplicates of a signal.</summary>
public sealed record SignalAnswer(int Status, string Body);

/// <summary>What LIVE_RESULTS is built from, read as one snapshot.</summary>
/// <param name="AsOf">The newest vote stamp in the episode's tallies; null before the first vote.</param>
public sealed record LiveTallies(IReadOnlyDictionary<ContestantId, long> Totals, IReadOnlyList<MinuteVotes> Minutes, DateTimeOffset? AsOf);

/// <summary>One vote for the contestant channel.</summary>
public sealed record RecentVote(string? DisplayName, string Phone, int Count, VoteType Type, DateTimeOffset At);
