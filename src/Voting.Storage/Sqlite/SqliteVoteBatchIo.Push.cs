using System.Globalization;
using Voting.Storage.Sql;

namespace Voting.Storage.Sqlite;

public sealed partial class SqliteVotingStore
{
    private sealed partial class VoteBatchIo
    {
        private const string VotersWithTokens =
            "SELECT DISTINCT t.voter_id FROM push_tokens t WHERE t.voter_id IN (SELECT value FROM json_each($1))";

        private const string InsertPushPending =
            $"""
            INSERT INTO push_pending (voter_id, episode_id, contestant_id, votes, last_vote_id, first_at, last_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            {PushSql.PendingUpsert}
            """;

        /// <summary>
        /// Adds the batch's votes to the pending notifications of voters with a device: one lookup for
        /// the whole batch, then a row per such voter (a batch of voters without devices costs one statement).
        /// </summary>
        private void ApplyPushPending(BatchEffects e)
        {
            if (e.PushPending.Count == 0) return;
            var ids = "[" + string.Join(",", e.PushPending.Select(p => p.Voter.ToString(CultureInfo.InvariantCulture))) + "]";
            var withTokens = Rows(VotersWithTokens, ids).Select(r => SqlValue.Long(r[0])).ToHashSet();
            foreach (var (voter, p) in e.PushPending.Where(p => withTokens.Contains(p.Voter)))
                Rows(InsertPushPending, voter, p.Episode, p.Contestant, p.Votes, p.LastVoteId, p.FirstAtMs, p.LastAtMs);
        }
    }
}
