-- Analytics (issue 11): the episode's audience without a join to the voters. The row a voter's
-- first vote in an episode creates keeps who the voter was then: province, gender, date of birth,
-- when they signed up, and the loyalty points they held from other episodes. The report reads the
-- episode's rows alone (an episode of 10 million votes from 500,000 voters: 2 s with the join).

ALTER TABLE voter_episode ADD COLUMN province TEXT;
ALTER TABLE voter_episode ADD COLUMN gender TEXT;
ALTER TABLE voter_episode ADD COLUMN date_of_birth TEXT;
ALTER TABLE voter_episode ADD COLUMN voter_created_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE voter_episode ADD COLUMN prior_points BIGINT NOT NULL DEFAULT 0;

-- Rows from before: the voter's profile as it is now, and the points from episodes of lower ids
-- (the order they were voted in is not kept).
UPDATE voter_episode e SET province = v.province, gender = v.gender, date_of_birth = v.date_of_birth, voter_created_at = v.created_at,
    prior_points = COALESCE((SELECT CAST(SUM(p.points) AS BIGINT) FROM voter_episode p
        WHERE p.voter_id = e.voter_id AND p.episode_id < e.episode_id), 0)
FROM voters v WHERE v.id = e.voter_id;
