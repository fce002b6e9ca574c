using Voting.Domain;
using Voting.Domain.Show;

namespace Voting.Storage;

/// <summary>
/// The live show: each episode's state machine and voting window, and the tallies the push
/// channels read.
/// </summary>
public interface IShowStore
{
    /// <summary>An episode's show: state, performer, voting window; null when the episode does not exist.</summary>
    Task<ShowRecord?> GetShowAsync(EpisodeId episode, CancellationToken ct);

    /// <summary>Every show in one of <paramref name="states"/> (for the clock: open windows, closes to finish).</summary>
    Task<IReadOnlyList<ShowRecord>> GetShowsInAsync(IReadOnlyCollection<ShowState> states, CancellationToken ct);

    /// <summary>
    /// Moves a show by the state machine, in one transaction with the episode's voting window and
    /// a transition row naming <paramref name="actor"/>; refused commands change nothing. With a
    /// <paramref name="signal"/>, a signal already applied is answered with its stored answer and
    /// applied once; an applied one stores its answer.
    /// </summary>
    Task<ShowChange> ChangeShowAsync(EpisodeId episode, ShowCommand command, string actor, SignalReceipt? signal, CancellationToken ct);

    /// <summary>Tallies per contestant, votes per minute from <paramref name="fromMinute"/>, and the newest vote stamp, as one snapshot.</summary>
    Task<LiveTallies> GetLiveTalliesAsync(EpisodeId episode, long fromMinute, CancellationToken ct);

    /// <summary>The newest votes for a contestant in an episode, newest first.</summary>
    Task<IReadOnlyList<RecentVote>> GetRecentVotesAsync(EpisodeId episode, ContestantId contestant, int limit, CancellationToken ct);
}
