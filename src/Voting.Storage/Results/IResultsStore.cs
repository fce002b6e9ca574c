using Voting.Domain;

namespace Voting.Storage;

/// <summary>An episode's results from the kept tallies, and the audit that recomputes them from the ledger.</summary>
public interface IResultsStore
{
    /// <summary>Votes per contestant and type, unique voters and votes per hour, from the tallies.</summary>
    Task<EpisodeResults> GetResultsAsync(EpisodeId episode, CancellationToken ct);

    /// <summary>Recomputes every tally and voter counter from the ledger, with the digest of the episode's vote rows.</summary>
    Task<EpisodeAudit> AuditEpisodeAsync(EpisodeId episode, CancellationToken ct);
}
