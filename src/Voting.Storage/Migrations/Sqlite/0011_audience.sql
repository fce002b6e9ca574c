-- Analytics (issue 11): the episode's audience without a join to the voters. The row a voter's
-- first vote in an episode creates keeps who the voter was then: province, gender, date of birth,
-- when they signed up, and the loyalty points they held from other episodes. The report reads the
-- episode's rows alone (an episode of 10 million votes from 500,000 voters: 2 s with the join).
--
-- The table is rebuilt WITHOUT ROWID, keyed by (episode_id, voter_id): an episode's rows are one
-- range of the table (the report's read), and the vote path's upsert finds a row by its key in one
-- B-tree instead of an index and then the table. The voter's rows of other episodes (their points)
-- are found by voter_episode_voter.

CREATE TABLE voter_episode_new (
    voter_id         INTEGER NOT NULL,
    episode_id       INTEGER NOT NULL,
    free_used        INTEGER NOT NULL DEFAULT 0,
    paid_cast        INTEGER NOT NULL DEFAULT 0,
    votes_cast       INTEGER NOT NULL DEFAULT 0,
    points           INTEGER NOT NULL DEFAULT 0,
    province         TEXT,
    gender           TEXT,
    date_of_birth    TEXT,
    voter_created_at INTEGER NOT NULL DEFAULT 0,
    prior_points     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (episode_id, voter_id)
) WITHOUT ROWID;

-- Rows from before: the voter's profile as it is now, and the points from episodes of lower ids
-- (the order they were voted in is not kept).
INSERT INTO voter_episode_new (voter_id, episode_id, free_used, paid_cast, votes_cast, points,
    province, gender, date_of_birth, voter_created_at, prior_points)
SELECT e.voter_id, e.episode_id, e.free_used, e.paid_cast, e.votes_cast, e.points,
    v.province, v.gender, v.date_of_birth, COALESCE(v.created_at, 0),
    COALESCE((SELECT SUM(p.points) FROM voter_episode p WHERE p.voter_id = e.voter_id AND p.episode_id < e.episode_id), 0)
FROM voter_episode e LEFT JOIN voters v ON v.id = e.voter_id;

DROP TABLE voter_episode;
ALTER TABLE voter_episode_new RENAME TO voter_episode;
CREATE INDEX voter_episode_voter ON voter_episode (voter_id);
