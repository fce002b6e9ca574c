using Voting.Domain;
using Voting.Domain.Export;
using Voting.Domain.Show;

namespace Voting.Storage;

/// <summary>What an export begins with, read in the same snapshot as its rows.</summary>
/// <param name="TallyVotes">Kept tallies per contestant (what the results endpoint and RESULTS_READY show).</param>
public sealed record ExportSnapshot(EpisodeRecord Episode, IReadOnlyList<LineupContestant> Lineup, ShowStatus Show,
    IReadOnlyDictionary<ContestantId, long> TallyVotes);

/// <summary>Takes an export as the store reads it, part by part.</summary>
public interface IExportSink
{
    ValueTask HeaderAsync(ExportSnapshot snapshot, CancellationToken ct);
    ValueTask VoteAsync(ExportVote vote, CancellationToken ct);
    ValueTask VoidAsync(ExportVoid row, CancellationToken ct);
}

/// <summary>The certified export of an episode's ledger.</summary>
public interface IExportStore
{
    /// <summary>
    /// Reads one consistent snapshot of the episode: its show, line-up and tallies, then every vote row in id
    /// order, then every void row in vote id order, each handed to <paramref name="sink"/> as the reader reaches
    /// it (never gathered, so memory stays flat for any number of rows). False, and nothing handed over, when
    /// the episode does not exist.
    /// </summary>
    Task<bool> ExportEpisodeAsync(EpisodeId episode, IExportSink sink, CancellationToken ct);
}
