-- Billing fails closed (issue 12): a carrier's 2xx whose verdict cannot be read leaves the charge
-- 'unknown', never 'confirmed'; it is asked again and then dead-lettered for an operator.
-- SQLite cannot change a CHECK constraint: the table is rebuilt (nothing references it).
CREATE TABLE carrier_charges_0007 (
    id           INTEGER PRIMARY KEY,
    vote_id      INTEGER NOT NULL UNIQUE,
    voter_id     INTEGER NOT NULL,
    carrier      TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'failed', 'unknown')),
    created_at   INTEGER NOT NULL,
    refund_owed  INTEGER NOT NULL DEFAULT 0
);
INSERT INTO carrier_charges_0007 (id, vote_id, voter_id, carrier, amount_cents, currency, status, created_at, refund_owed)
    SELECT id, vote_id, voter_id, carrier, amount_cents, currency, status, created_at, refund_owed FROM carrier_charges;
DROP TABLE carrier_charges;
ALTER TABLE carrier_charges_0007 RENAME TO carrier_charges;
