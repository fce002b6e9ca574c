namespace Voting.Storage;

/// <summary>The vote ledger's one way in: the vote writer's group commit.</summary>
public interface IVoteStore
{
    /// <summary>
    /// Commits a batch of votes in one transaction (group commit). Each command gets its own
    /// outcome, in order; a refused command refuses only itself.
    /// </summary>
    Task<IReadOnlyList<VoteOutcome>> CommitVotesAsync(IReadOnlyList<VoteCommand> commands, CancellationToken ct);
}
