using Voting.Domain.Push;

namespace Voting.Storage.Sql;

/// <summary>
/// Push notifications of a vote batch: each voter's committed votes as one pending notification
/// (<see cref="BatchEffects.PushPending"/>). The providers add them to <c>push_pending</c> for the
/// voters that have a device token, in the batch's transaction; the coalescer sends them later.
/// </summary>
internal sealed partial class VoteBatch
{
    private void AddPushPending(BatchEffects e, List<VoteWork> committed)
    {
        foreach (var g in committed.GroupBy(w => w.Command.Voter.Value).OrderBy(g => g.Key))
        {
            e.PushPending.Add((g.Key, g.Select(w => new PendingVotes(w.EpisodeId, w.Request.Contestant.Value, w.Request.Count, w.VoteId, _nowMs, _nowMs))
                .Aggregate((a, b) => a.Add(b))));
        }
    }
}
