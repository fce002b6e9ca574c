-- Analytics (issue 11): counters the report reads instead of the ledger. Each moves in the same
-- transaction as the rows behind it and the episode audit recomputes it from them.

-- Loyalty points of the voter's counted votes in the episode: lifetime points (the tier) are the
-- sum over the voter's episodes.
ALTER TABLE voter_episode ADD COLUMN points BIGINT NOT NULL DEFAULT 0;
UPDATE voter_episode SET points = COALESCE((
    SELECT CAST(SUM(v.loyalty_points) AS BIGINT) FROM votes v
    WHERE v.voter_id = voter_episode.voter_id AND v.episode_id = voter_episode.episode_id
        AND NOT EXISTS (SELECT 1 FROM vote_voids vv WHERE vv.vote_id = v.id)), 0);

-- Votes counted per voter for each contestant: a contestant's unique voters are its rows with votes.
CREATE TABLE voter_contestant (
    episode_id    BIGINT NOT NULL,
    contestant_id BIGINT NOT NULL,
    voter_id      BIGINT NOT NULL,
    votes         BIGINT NOT NULL,
    PRIMARY KEY (episode_id, contestant_id, voter_id)
);
INSERT INTO voter_contestant (episode_id, contestant_id, voter_id, votes)
SELECT v.episode_id, v.contestant_id, v.voter_id, CAST(SUM(v.vote_count) AS BIGINT) FROM votes v
WHERE NOT EXISTS (SELECT 1 FROM vote_voids vv WHERE vv.vote_id = v.id)
GROUP BY v.episode_id, v.contestant_id, v.voter_id;

-- Confirmed carrier charges per episode (SMS revenue), moved when the carrier confirms a charge.
CREATE TABLE episode_sms_revenue (
    episode_id BIGINT PRIMARY KEY,
    charges    BIGINT NOT NULL,
    cents      BIGINT NOT NULL
);
INSERT INTO episode_sms_revenue (episode_id, charges, cents)
SELECT v.episode_id, COUNT(*), CAST(SUM(cc.amount_cents) AS BIGINT) FROM carrier_charges cc JOIN votes v ON v.id = cc.vote_id
WHERE cc.status = 'confirmed' GROUP BY v.episode_id;
