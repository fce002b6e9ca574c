-- Times are unix milliseconds (UTC). Counters are projections of the ledger tables
-- (votes, wallet_entries, bundles) and change only in the same transaction as their rows.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE seasons (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    year       INTEGER NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('active', 'upcoming', 'finished')),
    created_at INTEGER NOT NULL
);

CREATE TABLE contestants (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    khmer_name    TEXT,
    hometown      TEXT,
    age           INTEGER,
    bio           TEXT,
    photo_url     TEXT,
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'eliminated')),
    eliminated_at INTEGER,
    created_at    INTEGER NOT NULL
);

CREATE TABLE episodes (
    id             INTEGER PRIMARY KEY,
    season_id      INTEGER NOT NULL REFERENCES seasons (id),
    episode_number INTEGER NOT NULL,
    title          TEXT NOT NULL,
    description    TEXT,
    air_date       INTEGER,
    voting_state   TEXT NOT NULL DEFAULT 'idle' CHECK (voting_state IN ('idle', 'open', 'closed')),
    voting_start   INTEGER,
    voting_end     INTEGER,
    created_at     INTEGER NOT NULL,
    UNIQUE (season_id, episode_number)
);
CREATE INDEX episodes_voting_state ON episodes (voting_state);

CREATE TABLE episode_contestants (
    episode_id     INTEGER NOT NULL REFERENCES episodes (id),
    contestant_id  INTEGER NOT NULL REFERENCES contestants (id),
    ballot_number  INTEGER NOT NULL CHECK (ballot_number > 0),
    song_performed TEXT,
    PRIMARY KEY (episode_id, contestant_id),
    UNIQUE (episode_id, ballot_number)
);

CREATE TABLE voters (
    id                INTEGER PRIMARY KEY,
    phone             TEXT NOT NULL UNIQUE,
    phone_verified_at INTEGER,
    display_name      TEXT,
    province          TEXT,
    gender            TEXT,
    date_of_birth     TEXT,
    loyalty_tier      TEXT NOT NULL DEFAULT 'bronze',
    vote_balance      INTEGER NOT NULL DEFAULT 0 CHECK (vote_balance >= 0),
    created_at        INTEGER NOT NULL
);

CREATE TABLE one_time_codes (
    id         INTEGER PRIMARY KEY,
    phone      TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'used', 'dead')),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX one_time_codes_phone ON one_time_codes (phone, created_at);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    payload         TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER
);
CREATE INDEX outbox_pending ON outbox (status, next_attempt_at);

-- The vote ledger. A paid vote is the wallet debit, a bundle vote the bundle use and every
-- vote its own loyalty award: the row carries what the counters need to be recomputed.
-- No foreign keys on this hot table: the vote batch reads the voter, the episode and the
-- line-up in the same transaction before it inserts, rows are never deleted, and a per-row
-- foreign-key check would cost three lookups (and on PostgreSQL three row locks) per vote.
CREATE TABLE votes (
    id              INTEGER PRIMARY KEY,
    voter_id        INTEGER NOT NULL,
    episode_id      INTEGER NOT NULL,
    contestant_id   INTEGER NOT NULL,
    vote_type       TEXT NOT NULL CHECK (vote_type IN ('free', 'paid', 'bundle', 'sms')),
    vote_count      INTEGER NOT NULL CHECK (vote_count BETWEEN 1 AND 1000),
    amount_cents    INTEGER NOT NULL DEFAULT 0,
    currency        TEXT,
    payment_method  TEXT NOT NULL,
    bundle_id       INTEGER,
    transaction_id  TEXT,
    idempotency_key TEXT,
    request_hash    TEXT,
    loyalty_points  INTEGER NOT NULL,
    ip              TEXT,
    user_agent      TEXT,
    device_id       TEXT,
    app_version     TEXT,
    created_at      INTEGER NOT NULL
);
CREATE INDEX votes_episode ON votes (episode_id, id);
CREATE INDEX votes_voter ON votes (voter_id, id);
CREATE UNIQUE INDEX votes_idempotency ON votes (voter_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE wallet_entries (
    id              INTEGER PRIMARY KEY,
    voter_id        INTEGER NOT NULL REFERENCES voters (id),
    amount          INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    reason          TEXT,
    idempotency_key TEXT UNIQUE,
    created_at      INTEGER NOT NULL
);
CREATE INDEX wallet_entries_voter ON wallet_entries (voter_id, id);

CREATE TABLE bundles (
    id              INTEGER PRIMARY KEY,
    voter_id        INTEGER NOT NULL REFERENCES voters (id),
    granted_votes   INTEGER NOT NULL CHECK (granted_votes > 0),
    remaining_votes INTEGER NOT NULL CHECK (remaining_votes >= 0),
    source          TEXT NOT NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX bundles_voter ON bundles (voter_id, id);

CREATE TABLE voter_episode (
    voter_id   INTEGER NOT NULL,
    episode_id INTEGER NOT NULL,
    free_used  INTEGER NOT NULL DEFAULT 0,
    paid_cast  INTEGER NOT NULL DEFAULT 0,
    votes_cast INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (voter_id, episode_id)
);
CREATE INDEX voter_episode_episode ON voter_episode (episode_id);

CREATE TABLE voter_daily_sms (
    voter_id INTEGER NOT NULL,
    day      TEXT NOT NULL,
    used     INTEGER NOT NULL,
    PRIMARY KEY (voter_id, day)
);

CREATE TABLE carrier_charges (
    id           INTEGER PRIMARY KEY,
    vote_id      INTEGER NOT NULL UNIQUE,
    voter_id     INTEGER NOT NULL,
    carrier      TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'failed')),
    created_at   INTEGER NOT NULL
);

-- Tallies are kept per writer shard so that several nodes never contend on one row;
-- readers sum over shards.
CREATE TABLE tallies (
    episode_id    INTEGER NOT NULL,
    contestant_id INTEGER NOT NULL,
    vote_type     TEXT NOT NULL,
    shard         INTEGER NOT NULL,
    votes         INTEGER NOT NULL,
    PRIMARY KEY (episode_id, contestant_id, vote_type, shard)
);

CREATE TABLE hourly_tallies (
    episode_id INTEGER NOT NULL,
    hour       INTEGER NOT NULL,
    shard      INTEGER NOT NULL,
    votes      INTEGER NOT NULL,
    PRIMARY KEY (episode_id, hour, shard)
);
