using Voting.Domain.Voting;

namespace Voting.Storage.Sql;

/// <summary>Per-command state while a batch is decided. The command itself never changes.</summary>
internal sealed class VoteWork(VoteCommand command, bool judged)
{
    public VoteCommand Command { get; } = command;
    /// <summary>False for a text answered without judging a vote (a redelivery, or not a vote at all).</summary>
    public bool Judged { get; } = judged;
    public long EpisodeId { get; set; }
    public LineupEntry? Entry { get; set; }
    public VoteRefusal? Refusal { get; set; }
    public long BundleId { get; set; }
    public long VoteId { get; set; }
    public int Points { get; set; }
    public string? Carrier { get; set; }
    public long AmountCents { get; set; }
    /// <summary>A text counted by the carrier's receive time after the close.</summary>
    public bool Late { get; set; }
    public bool Replayed { get; set; }
    public bool LostRace { get; set; }
    public string? ReplayContestantName { get; set; }
    public long ReplayContestant { get; set; }
    public int DuplicateOf { get; set; } = -1;

    public VoteRequest Request => Command.Request;
    public long Voter => Command.Voter.Value;
    public bool Accepted => Refusal is null && DuplicateOf < 0 && VoteId != 0 && (Replayed || !LostRace);
    /// <summary>A new vote this batch inserts.</summary>
    public bool Committed => VoteId != 0 && !Replayed && !LostRace && Refusal is null && DuplicateOf < 0;
}
