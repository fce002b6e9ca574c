using Voting.Domain;

namespace Voting.Storage;

/// <summary>
/// Reads of premium SMS traffic. Texts are written by the vote batch
/// (<see cref="IVoteStore.CommitVotesAsync"/> with a command made by <see cref="SmsIntake.ToCommand"/>).
/// </summary>
public interface ISmsStore
{
    /// <summary>Per carrier: texts, counted votes, refusals by reason, charges by status and revenue.</summary>
    Task<SmsEpisodeStats> GetSmsStatsAsync(EpisodeId episode, CancellationToken ct);
}
