using Voting.Storage.Sql;

namespace Voting.Storage.Postgres;

internal sealed partial class PostgresVoteBatchIo
{
    /// <summary>
    /// Adds the batch's votes to the pending notifications of voters with a device, in voter order
    /// (the voters are locked already, so two batches never add to one voter's row at once).
    /// </summary>
    private static Sql PushPendingStatement(BatchEffects e)
    {
        var p = e.PushPending;
        return new($"""
            INSERT INTO push_pending (voter_id, episode_id, contestant_id, votes, last_vote_id, first_at, last_at)
            SELECT d.v, d.e, d.c, d.n, d.id, d.f, d.l FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[]) AS d(v, e, c, n, id, f, l)
            WHERE EXISTS (SELECT 1 FROM push_tokens t WHERE t.voter_id = d.v) ORDER BY d.v
            {PushSql.PendingUpsert}
            """, false,
            p.Select(x => x.Voter).ToArray(), p.Select(x => x.Votes.Episode).ToArray(), p.Select(x => x.Votes.Contestant).ToArray(),
            p.Select(x => x.Votes.Votes).ToArray(), p.Select(x => x.Votes.LastVoteId).ToArray(), p.Select(x => x.Votes.FirstAtMs).ToArray(),
            p.Select(x => x.Votes.LastAtMs).ToArray());
    }
}
