namespace Voting.Storage.Ledger;

/// <summary>The ledger's record of what a carrier-billed vote costs; its state follows the carrier's answer.</summary>
internal static class CarrierCharges
{
    /// <param name="rows">(vote id, voter id, carrier, amount in cents, currency, created at ms) per charge.</param>
    public static SetWrite Write(IReadOnlyList<object?[]> rows) => new("carrier charges",
        "INSERT INTO carrier_charges (vote_id, voter_id, carrier, amount_cents, currency, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        "INSERT INTO carrier_charges (vote_id, voter_id, carrier, amount_cents, currency, created_at) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::bigint[])",
        [Col.Long, Col.Long, Col.Text, Col.Long, Col.Text, Col.Long], rows, Guarded: false);
}
