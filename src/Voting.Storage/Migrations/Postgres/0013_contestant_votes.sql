-- Votes per voter and contestant on the voter's episode row (issue 13, goals 2 and 3).
-- voter_contestant was a table of its own keyed by (episode, contestant, voter): every vote moved a
-- row (and its index entry) at a random place in it as well as the voter's voter_episode row. The
-- same counts now ride on the voter_episode row the vote moves anyway, as a JSON object of
-- contestant id to votes ({"3": 2, "5": 1}). A contestant's unique voters are the rows where it is
-- above 0.
--
-- Both tables' strongest locks first, so a node of the previous version writing votes meanwhile
-- waits instead of deadlocking on a lock upgrade; it fails once voter_contestant is gone: upgrade
-- every node together, outside a show.

LOCK TABLE voter_episode, voter_contestant IN ACCESS EXCLUSIVE MODE;
ALTER TABLE voter_episode ADD COLUMN contestant_votes jsonb NOT NULL DEFAULT '{}';

-- Every vote has moved both tables since they were made, so each voter_contestant row has its
-- voter_episode row; should one not, it gets a row of zeros rather than its counts being lost
-- (the audit then says the voter's counters disagree with the ledger, which they did).
INSERT INTO voter_episode (voter_id, episode_id)
SELECT DISTINCT vc.voter_id, vc.episode_id FROM voter_contestant vc
WHERE NOT EXISTS (SELECT 1 FROM voter_episode ve WHERE ve.episode_id = vc.episode_id AND ve.voter_id = vc.voter_id);

UPDATE voter_episode ve SET contestant_votes = g.counts
FROM (SELECT episode_id, voter_id, jsonb_object_agg(CAST(contestant_id AS TEXT), votes) AS counts
      FROM voter_contestant GROUP BY episode_id, voter_id) AS g
WHERE ve.episode_id = g.episode_id AND ve.voter_id = g.voter_id;

DROP TABLE voter_contestant;
