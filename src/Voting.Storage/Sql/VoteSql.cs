namespace Voting.Storage.Sql;

/// <summary>Statements of the vote batch that both providers run as they are.</summary>
internal static class VoteSql
{
    public const string EpisodeColumns = "SELECT id, voting_state, voting_start, voting_end FROM episodes";
    public const string OpenEpisodeId = "(SELECT id FROM episodes WHERE voting_state = 'open' ORDER BY id DESC LIMIT 1)";
    public const string LineupColumns =
        "SELECT ec.episode_id, ec.contestant_id, c.name, ec.ballot_number, c.status FROM episode_contestants ec JOIN contestants c ON c.id = ec.contestant_id";
    public const string ExistingColumns =
        "SELECT v.id, v.request_hash, v.contestant_id, v.episode_id, v.loyalty_points, c.name, v.voter_id, v.idempotency_key FROM votes v JOIN contestants c ON c.id = v.contestant_id";
    public const string InsertColumns =
        "INSERT INTO votes (id, voter_id, episode_id, contestant_id, vote_type, vote_count, amount_cents, currency, payment_method, bundle_id, transaction_id, idempotency_key, request_hash, loyalty_points, ip, user_agent, device_id, app_version, created_at)";
    public const string OnKeyConflict = "ON CONFLICT (voter_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id";

    public const string VoterEpisodeUpsert =
        """
        ON CONFLICT (voter_id, episode_id) DO UPDATE SET free_used = voter_episode.free_used + excluded.free_used,
            paid_cast = voter_episode.paid_cast + excluded.paid_cast, votes_cast = voter_episode.votes_cast + excluded.votes_cast
        WHERE voter_episode.free_used + excluded.free_used <=
        """;
    public const string SmsUpsert =
        "ON CONFLICT (voter_id, day) DO UPDATE SET used = voter_daily_sms.used + excluded.used WHERE voter_daily_sms.used + excluded.used <=";
    public const string TallyUpsert =
        "ON CONFLICT (episode_id, contestant_id, vote_type, shard) DO UPDATE SET votes = tallies.votes + excluded.votes";
    public const string HourlyUpsert =
        "ON CONFLICT (episode_id, hour, shard) DO UPDATE SET votes = hourly_tallies.votes + excluded.votes";
    /// <summary>Followed by the provider's "newest of two stamps" for last_at (MAX on SQLite, GREATEST on PostgreSQL).</summary>
    public const string MinuteUpsert =
        "ON CONFLICT (episode_id, minute, contestant_id, shard) DO UPDATE SET votes = minute_tallies.votes + excluded.votes";
}
