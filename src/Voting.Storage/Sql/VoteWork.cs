using Voting.Domain.Voting;

namespace Voting.Storage.Sql;

/// <summary>Per-command state while a batch is decided.</summary>
internal sealed class VoteWork(VoteCommand command)
{
    // Settable: a text's command is completed (voter, episode, vote) once its batch has read the line-up.
    public VoteCommand Command { get; set; } = command;
    public long EpisodeId { get; set; }
    public LineupEntry? Entry { get; set; }
    public VoteRefusal? Refusal { get; set; }
    public long BundleId { get; set; }
    public long VoteId { get; set; }
    public int Points { get; set; }
    public string? Carrier { get; set; }
    public long AmountCents { get; set; }
    public bool Replayed { get; set; }
    public bool LostRace { get; set; }
    public string? ReplayContestantName { get; set; }
    public long ReplayContestant { get; set; }
    public int DuplicateOf { get; set; } = -1;

    public VoteRequest Request => Command.Request;
    public bool Accepted => Refusal is null && DuplicateOf < 0 && VoteId != 0 && (Replayed || !LostRace);
}
