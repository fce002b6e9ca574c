using Voting.Domain;

namespace Voting.Storage;

/// <summary>What a signed-in viewer reads about their own voting.</summary>
public interface IVoterStore
{
    /// <summary>The voter's counters, and their use of <paramref name="episode"/>'s limits when given; null when the voter does not exist.</summary>
    Task<VoterSummary?> GetVoterSummaryAsync(VoterId voter, EpisodeId? episode, CancellationToken ct);

    /// <summary>The voter's votes, newest first, one page at a time.</summary>
    Task<HistoryPage> GetHistoryAsync(VoterId voter, int page, int perPage, CancellationToken ct);
}
