-- Analytics (issue 11): the episode's audience without a join to the voters. The row a voter's
-- first vote in an episode creates keeps who the voter was then: province, gender, date of birth,
-- when they signed up, and the loyalty points they held from other episodes. The report reads the
-- episode's rows alone (an episode of 10 million votes from 500,000 voters: 2 s with the join).

ALTER TABLE voter_episode ADD COLUMN province TEXT;
ALTER TABLE voter_episode ADD COLUMN gender TEXT;
ALTER TABLE voter_episode ADD COLUMN date_of_birth TEXT;
ALTER TABLE voter_episode ADD COLUMN voter_created_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE voter_episode ADD COLUMN prior_points INTEGER NOT NULL DEFAULT 0;

-- Rows from before: the voter's profile as it is now, and the points from episodes of lower ids
-- (the order they were voted in is not kept).
UPDATE voter_episode SET
    province = (SELECT v.province FROM voters v WHERE v.id = voter_episode.voter_id),
    gender = (SELECT v.gender FROM voters v WHERE v.id = voter_episode.voter_id),
    date_of_birth = (SELECT v.date_of_birth FROM voters v WHERE v.id = voter_episode.voter_id),
    voter_created_at = COALESCE((SELECT v.created_at FROM voters v WHERE v.id = voter_episode.voter_id), 0),
    prior_points = COALESCE((SELECT SUM(p.points) FROM voter_episode p
        WHERE p.voter_id = voter_episode.voter_id AND p.episode_id < voter_episode.episode_id), 0);
