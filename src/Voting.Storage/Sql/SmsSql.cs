namespace Voting.Storage.Sql;

/// <summary>Statements of the texts in a vote batch that both providers run as they are.</summary>
internal static class SmsSql
{
    /// <summary>Episodes that may take a text: open, or closed recently enough for a late text ($1: ended at or after).</summary>
    public const string EpisodesTakingTexts = "voting_state = 'open' OR (voting_state = 'closed' AND voting_end >= $1)";

    public const string LineupColumns =
        "SELECT ec.episode_id, ec.ballot_number, ec.contestant_id, c.name, c.khmer_name FROM episode_contestants ec JOIN contestants c ON c.id = ec.contestant_id";

    public const string MessageColumns =
        "carrier, message_id, sender, short_code, text, carrier_received_at, arrived_at, episode_id, voter_id, vote_id, vote_count, outcome, reply, carrier_mismatch, late, created_at";

    public const string InsertOutbox =
        "INSERT INTO outbox (kind, recipient, payload, idempotency_key, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $5)";
}
