-- The live show. episodes.voting_state/voting_start/voting_end stay what the vote batch judges;
-- episode_shows holds the show around them, and every transition changes both in one transaction.
CREATE TABLE episode_shows (
    episode_id     INTEGER PRIMARY KEY,
    state          TEXT NOT NULL CHECK (state IN ('IDLE', 'SHOW_STARTED', 'PERFORMANCE', 'VOTING_OPEN', 'VOTING_CLOSED', 'RESULTS_READY', 'SHOW_ENDED')),
    performer_id   INTEGER,
    song_name      TEXT,
    closed_reason  TEXT CHECK (closed_reason IN ('timer', 'signal', 'operator')),
    results_digest TEXT,
    results_votes  INTEGER,
    version        INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX episode_shows_state ON episode_shows (state);

-- Every transition, in order: who moved the show and when (append-only).
CREATE TABLE show_transitions (
    id         INTEGER PRIMARY KEY,
    episode_id INTEGER NOT NULL,
    version    INTEGER NOT NULL,
    event      TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state   TEXT NOT NULL,
    actor      TEXT NOT NULL,
    at         INTEGER NOT NULL,
    UNIQUE (episode_id, version)
);

-- Broadcast signals applied, by a hash of their signed "<t>.<body>": a duplicate is answered
-- with the stored answer and applied once. Rows older than the replay window can go.
CREATE TABLE broadcast_signals (
    signature_key TEXT PRIMARY KEY,
    signed_at     INTEGER NOT NULL,
    episode_id    INTEGER NOT NULL,
    status        INTEGER NOT NULL,
    response      TEXT NOT NULL,
    received_at   INTEGER NOT NULL
);
CREATE INDEX broadcast_signals_signed_at ON broadcast_signals (signed_at);

-- Votes per contestant per clock minute (a projection of the ledger like tallies, per writer
-- shard): trends read at most two hours of it, and last_at is the newest vote stamp in it.
CREATE TABLE minute_tallies (
    episode_id    INTEGER NOT NULL,
    minute        INTEGER NOT NULL,
    contestant_id INTEGER NOT NULL,
    shard         INTEGER NOT NULL,
    votes         INTEGER NOT NULL,
    last_at       INTEGER NOT NULL,
    PRIMARY KEY (episode_id, minute, contestant_id, shard)
);

INSERT INTO episode_shows (episode_id, state, closed_reason, version, updated_at)
SELECT id, CASE voting_state WHEN 'open' THEN 'VOTING_OPEN' ELSE 'VOTING_CLOSED' END,
       CASE voting_state WHEN 'open' THEN NULL ELSE 'operator' END, 1, created_at
FROM episodes WHERE voting_state <> 'idle';

INSERT INTO minute_tallies (episode_id, minute, contestant_id, shard, votes, last_at)
SELECT episode_id, created_at / 60000, contestant_id, 0, SUM(vote_count), MAX(created_at)
FROM votes GROUP BY episode_id, created_at / 60000, contestant_id;
