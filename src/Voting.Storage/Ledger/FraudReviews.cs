namespace Voting.Storage.Ledger;

/// <summary>The review rows of votes scored over the review threshold, inserted with the votes.</summary>
internal static class FraudReviews
{
    /// <param name="rows">(vote id, voter id, episode id, score, reasons, inputs, created at ms) per review.</param>
    public static SetWrite Write(IReadOnlyList<object?[]> rows) => new("fraud reviews",
        "INSERT INTO fraud_reviews (vote_id, voter_id, episode_id, score, reasons, inputs, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        "INSERT INTO fraud_reviews (vote_id, voter_id, episode_id, score, reasons, inputs, created_at) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::text[], $7::bigint[])",
        [Col.Long, Col.Long, Col.Long, Col.Long, Col.Text, Col.Text, Col.Long], rows, Guarded: false);
}
