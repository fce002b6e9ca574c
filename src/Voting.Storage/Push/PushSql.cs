namespace Voting.Storage.Sql;

/// <summary>Push statements both providers run as they are.</summary>
internal static class PushSql
{
    /// <summary>
    /// Adds a batch's votes to a voter's pending notification, as <see cref="Voting.Domain.Push.PendingVotes.Add"/>
    /// does: counts add up, the first vote's time stays, the latest vote names the contestant.
    /// </summary>
    public const string PendingUpsert =
        """
        ON CONFLICT (voter_id) DO UPDATE SET
            votes = push_pending.votes + excluded.votes,
            episode_id = CASE WHEN excluded.last_vote_id > push_pending.last_vote_id THEN excluded.episode_id ELSE push_pending.episode_id END,
            contestant_id = CASE WHEN excluded.last_vote_id > push_pending.last_vote_id THEN excluded.contestant_id ELSE push_pending.contestant_id END,
            last_vote_id = CASE WHEN excluded.last_vote_id > push_pending.last_vote_id THEN excluded.last_vote_id ELSE push_pending.last_vote_id END,
            first_at = CASE WHEN excluded.first_at < push_pending.first_at THEN excluded.first_at ELSE push_pending.first_at END,
            last_at = CASE WHEN excluded.last_at > push_pending.last_at THEN excluded.last_at ELSE push_pending.last_at END
        """;
}
