-- Votes per voter and contestant on the voter's episode row (issue 13, goal 3). voter_contestant
-- was a table of its own keyed by (episode, contestant, voter): every vote moved a row at a random
-- place in it as well as the voter's voter_episode row, and each page a batch dirties is written to
-- the WAL at its commit and again at the checkpoint. The same counts now ride on the voter_episode
-- row the vote moves anyway, as a JSON object of contestant id to votes ({"3":2,"5":1}): one page
-- keyed by voter fewer per vote. A contestant's unique voters are the rows where it is above 0.

ALTER TABLE voter_episode ADD COLUMN contestant_votes TEXT NOT NULL DEFAULT '{}';

-- Every vote has moved both tables since they were made, so each voter_contestant row has its
-- voter_episode row; should one not, it gets a row of zeros rather than its counts being lost
-- (the audit then says the voter's counters disagree with the ledger, which they did).
INSERT INTO voter_episode (voter_id, episode_id)
SELECT DISTINCT vc.voter_id, vc.episode_id FROM voter_contestant vc
WHERE NOT EXISTS (SELECT 1 FROM voter_episode ve WHERE ve.episode_id = vc.episode_id AND ve.voter_id = vc.voter_id);

UPDATE voter_episode SET contestant_votes = g.counts
FROM (SELECT episode_id, voter_id, json_group_object(CAST(contestant_id AS TEXT), votes) AS counts
      FROM voter_contestant GROUP BY episode_id, voter_id) AS g
WHERE voter_episode.episode_id = g.episode_id AND voter_episode.voter_id = g.voter_id;

DROP TABLE voter_contestant;
