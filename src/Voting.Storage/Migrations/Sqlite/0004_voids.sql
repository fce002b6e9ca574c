-- Voids: an operator's decision that vote rows no longer count. A vote row is never updated or
-- deleted; its void is a compensating row of its own (at most one per vote row: the key), written
-- in the same transaction as the counters it moves back.
CREATE TABLE voids (
    id              INTEGER PRIMARY KEY,
    episode_id      INTEGER NOT NULL,
    selector        TEXT NOT NULL,
    reason          TEXT NOT NULL,
    refund          INTEGER NOT NULL CHECK (refund IN (0, 1)),
    actor           TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    request_hash    TEXT NOT NULL,
    rows_voided     INTEGER NOT NULL,
    votes_voided    INTEGER NOT NULL,
    already_voided  INTEGER NOT NULL,
    created_at      INTEGER NOT NULL
);

-- One row per voided vote row, with what the counters need to be recomputed without the vote.
CREATE TABLE vote_voids (
    vote_id       INTEGER PRIMARY KEY,
    void_id       INTEGER NOT NULL REFERENCES voids (id),
    episode_id    INTEGER NOT NULL,
    voter_id      INTEGER NOT NULL,
    contestant_id INTEGER NOT NULL,
    vote_type     TEXT NOT NULL,
    vote_count    INTEGER NOT NULL,
    refunded      INTEGER NOT NULL CHECK (refunded IN (0, 1)),
    created_at    INTEGER NOT NULL
);
CREATE INDEX vote_voids_episode ON vote_voids (episode_id, vote_id);
CREATE INDEX vote_voids_voter ON vote_voids (voter_id);

-- A refund owed for the charge of a vote voided with a refund: sent at once when the carrier has
-- confirmed the charge, or when it does (a charge it declines is owed nothing).
ALTER TABLE carrier_charges ADD COLUMN refund_owed INTEGER NOT NULL DEFAULT 0;
