-- Fraud (issue 10). A vote scored over the review threshold is counted and queued here, in the
-- transaction that inserts it; an operator approves it or voids it (a void with refund: false,
-- which also decides the review, whatever void took the vote out).
CREATE TABLE fraud_reviews (
    id            INTEGER PRIMARY KEY,
    vote_id       INTEGER NOT NULL UNIQUE,
    voter_id      INTEGER NOT NULL,
    episode_id    INTEGER NOT NULL,
    score         INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    reasons       TEXT NOT NULL,
    inputs        TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'voided')),
    created_at    INTEGER NOT NULL,
    decided_at    INTEGER,
    decided_by    TEXT,
    decision_note TEXT
);
CREATE INDEX fraud_reviews_episode ON fraud_reviews (episode_id, status, id);

-- A vote refused by its score (or its country): nothing counted, the attempt kept with its
-- reasons and the score's inputs (a model could be trained on these later).
CREATE TABLE fraud_blocked (
    id            INTEGER PRIMARY KEY,
    voter_id      INTEGER NOT NULL,
    episode_id    INTEGER,
    contestant_id INTEGER NOT NULL,
    vote_type     TEXT NOT NULL,
    vote_count    INTEGER NOT NULL,
    score         INTEGER NOT NULL CHECK (score BETWEEN 0 AND 100),
    reasons       TEXT NOT NULL,
    geo_blocked   INTEGER NOT NULL CHECK (geo_blocked IN (0, 1)),
    inputs        TEXT NOT NULL,
    ip            TEXT,
    device_id     TEXT,
    created_at    INTEGER NOT NULL
);
CREATE INDEX fraud_blocked_episode ON fraud_blocked (episode_id, id);

-- An operator's mark that a voter is abroad until a time: the country rule and the geo refusal
-- do not apply to the voter until then.
CREATE TABLE voter_travel (
    voter_id   INTEGER PRIMARY KEY REFERENCES voters (id),
    until_ms   INTEGER NOT NULL,
    set_by     TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
