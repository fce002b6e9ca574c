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
    /// <summary>A keyed vote whose key is in the ledger already inserts nothing (SQLite counts the changes).</summary>
    public const string OnKeyConflict = "ON CONFLICT (voter_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING";
}
