-- Push notifications (issue 5). Independent of 0004 (reserved for another change): migrations
-- are applied by version number, each once, so either may be applied first.

-- A viewer's devices. A token belongs to one voter at a time: the last one signed in on the device.
CREATE TABLE push_tokens (
    token      TEXT PRIMARY KEY,
    voter_id   BIGINT NOT NULL REFERENCES voters (id),
    platform   TEXT NOT NULL CHECK (platform IN ('fcm', 'apns')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX push_tokens_voter ON push_tokens (voter_id);

-- Votes committed but not yet notified, one row per voter with a device: a projection the vote
-- batch moves in its transaction (votes summed, the first vote's time kept, the latest vote naming
-- the contestant). Once first_at is Push:CoalesceSeconds old, the coalescer deletes the row and
-- writes one outbox row per token in one transaction. Not part of the ledger: nothing is audited
-- from it, and a lost row loses a notification, never a vote.
CREATE TABLE push_pending (
    voter_id      BIGINT PRIMARY KEY,
    episode_id    BIGINT NOT NULL,
    contestant_id BIGINT NOT NULL,
    votes         BIGINT NOT NULL CHECK (votes > 0),
    last_vote_id  BIGINT NOT NULL,
    first_at      BIGINT NOT NULL,
    last_at       BIGINT NOT NULL
);
CREATE INDEX push_pending_due ON push_pending (first_at);
