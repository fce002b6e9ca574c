using Voting.Domain;

namespace Voting.Storage;

/// <summary>Seasons, contestants, episodes, their line-ups and voting windows.</summary>
public partial interface ICatalogStore
{
    Task<long> CreateSeasonAsync(string name, int year, string status, CancellationToken ct);
    Task<long> CreateContestantAsync(NewContestant contestant, CancellationToken ct);
    Task<CatalogResult> CreateEpisodeAsync(NewEpisode episode, CancellationToken ct);
    Task<CatalogResult> AddToLineupAsync(EpisodeId episode, ContestantId contestant, int ballotNumber, string? song, CancellationToken ct);
    Task<WindowResult> OpenVotingAsync(EpisodeId episode, TimeSpan duration, CancellationToken ct);
    Task<WindowResult> CloseVotingAsync(EpisodeId episode, CancellationToken ct);
    Task<CatalogResult> EliminateAsync(ContestantId contestant, CancellationToken ct);
    Task<bool> AnySeasonAsync(CancellationToken ct);

    Task<EpisodeRecord?> GetEpisodeAsync(EpisodeId episode, CancellationToken ct);
    Task<EpisodeRecord?> GetOpenEpisodeAsync(CancellationToken ct);
    Task<EpisodeRecord?> GetNextEpisodeAsync(CancellationToken ct);
    Task<IReadOnlyList<LineupContestant>> GetLineupAsync(EpisodeId episode, CancellationToken ct);
}
