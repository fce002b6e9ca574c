namespace Voting.Domain.Push;

/// <summary>
/// A voter's committed votes not yet notified. Votes of one voter within the coalescing window
/// become one notification: counts add up, the window runs from the first vote, and the message
/// names the contestant of the latest vote (the highest vote id, whatever order they are added in).
/// </summary>
/// <param name="LastVoteId">The latest vote included; it also names the notification (no two flushes of a voter share it).</param>
public sealed record PendingVotes(long Episode, long Contestant, long Votes, long LastVoteId, long FirstAtMs, long LastAtMs)
{
    /// <summary>Both sets of votes as one.</summary>
    public PendingVotes Add(PendingVotes other)
    {
        var latest = other.LastVoteId > LastVoteId ? other : this;
        return latest with
        {
            Votes = Votes + other.Votes,
            FirstAtMs = Math.Min(FirstAtMs, other.FirstAtMs),
            LastAtMs = Math.Max(LastAtMs, other.LastAtMs),
        };
    }

    /// <summary>At <paramref name="nowMs"/>, pending votes whose first vote is at or before this have waited out the window.</summary>
    public static long DueCutoff(long nowMs, TimeSpan window) => nowMs - (long)window.TotalMilliseconds;
}
