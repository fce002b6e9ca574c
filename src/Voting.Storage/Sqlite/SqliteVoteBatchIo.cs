using Microsoft.Data.Sqlite;
using Voting.Domain;
using Voting.Domain.Voting;
using Voting.Storage.Ledger;
using Voting.Storage.Sql;
using static Voting.Storage.Sql.VoteSql;

namespace Voting.Storage.Sqlite;

/// <summary>
/// A vote batch on SQLite: statements row by row on the writer's prepared commands (SQLite runs
/// in-process, so a statement costs microseconds and no round trip). The transaction is
/// BEGIN IMMEDIATE: the only writer, so the counters read are the counters written.
/// </summary>
public sealed partial class SqliteVotingStore
{
    private sealed partial class VoteBatchIo(SqliteVotingStore store, SqliteTransaction tx) : IVoteBatchIo
    {
        private const string Values = "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)";
        private const string PlainInsert = $"{InsertColumns} {Values}";
        private const string KeyedInsert = $"{InsertColumns} {Values} {OnKeyConflict}";
        private bool _done;

        private List<object?[]> Rows(string sql, params object?[] args) => store.RunWriter(tx, sql, args);

        private object?[]? First(string sql, params object?[] args) => Rows(sql, args) is { Count: > 0 } r ? r[0] : null;

        public Task<BatchContext> LoadContextAsync(ContextRequest request, CancellationToken ct)
        {
            var ctx = new BatchContext();
            var episodes = request.EpisodeIds.ToList();
            if (request.NeedsOpenEpisode && First($"{EpisodeColumns} WHERE id = {OpenEpisodeId}") is { } open)
            {
                ctx.OpenEpisode = Window(open);
                if (!episodes.Contains(ctx.OpenEpisode.Id.Value)) episodes.Add(ctx.OpenEpisode.Id.Value);
            }
            foreach (var e in episodes)
            {
                if (First($"{EpisodeColumns} WHERE id = $1", e) is { } row) ctx.Windows[e] = Window(row);
                ctx.Lineups[e] = Rows($"{LineupColumns} WHERE ec.episode_id = $1", e).ToDictionary(r => SqlValue.Long(r[1]), Lineup);
            }
            foreach (var v in request.VoterIds)
            {
                // One statement per voter: the voter, today's SMS count, and a row per episode voted in.
                var rows = Rows(
                    """
                    SELECT v.phone, v.phone_verified_at, v.vote_balance, COALESCE((SELECT used FROM voter_daily_sms WHERE voter_id = v.id AND day = $2), 0),
                        ve.episode_id, ve.free_used
                    FROM voters v LEFT JOIN voter_episode ve ON ve.voter_id = v.id WHERE v.id = $1
                    """, v, request.SmsDay);
                if (rows.Count == 0) continue;
                var row = rows[0];
                ctx.Voters[v] = new VoterState((string)row[0]!, row[1] is not null, SqlValue.Long(row[2]), SqlValue.Long(row[3]));
                foreach (var fe in rows.Where(r => r[4] is not null)) ctx.FreeUsed[(v, SqlValue.Long(fe[4]))] = SqlValue.Long(fe[5]);
            }
            foreach (var v in request.BundleVoterIds)
            {
                ctx.Bundles[v] = Rows("SELECT id, remaining_votes FROM bundles WHERE voter_id = $1 AND remaining_votes > 0 ORDER BY id", v)
                    .Select(r => (SqlValue.Long(r[0]), SqlValue.Long(r[1]))).ToList();
            }
            foreach (var (k, existing) in Find(request.Keys)) ctx.Existing[k] = existing;
            foreach (var c in request.ContestantIds)
            {
                if (First("SELECT id FROM contestants WHERE id = $1", c) is not null) ctx.Contestants.Add(c);
            }
            var max = SqlValue.Long(First("SELECT COALESCE(MAX(id), 0) FROM votes")![0]);
            for (var i = 1; i <= request.IdCount; i++) ctx.VoteIds.Add(max + i);
            return Task.FromResult(ctx);
        }

        private static EpisodeWindow Window(object?[] r) =>
            new(new EpisodeId(SqlValue.Long(r[0])), (string)r[1]!, SqlValue.Time(r[2]), SqlValue.Time(r[3]));

        private static LineupEntry Lineup(object?[] r) =>
            new(new ContestantId(SqlValue.Long(r[1])), (string)r[2]!, (int)SqlValue.Long(r[3]), (string)r[4]! == "eliminated");

        private Dictionary<(long Voter, string Key), ExistingVote> Find(IEnumerable<(long Voter, string Key)> keys)
        {
            var found = new Dictionary<(long, string), ExistingVote>();
            foreach (var (voter, key) in keys)
            {
                if (First($"{ExistingColumns} WHERE v.voter_id = $1 AND v.idempotency_key = $2", voter, key) is { } r)
                {
                    found[(voter, key)] = new ExistingVote(SqlValue.Long(r[0]), SqlValue.Text(r[1]), SqlValue.Long(r[2]), SqlValue.Long(r[3]),
                        (int)SqlValue.Long(r[4]), (string)r[5]!);
                }
            }
            return found;
        }

        public Task<Dictionary<(long Voter, string Key), ExistingVote>> FindVotesAsync(IReadOnlyList<(long Voter, string Key)> keys, CancellationToken ct) =>
            Task.FromResult(Find(keys));

        public Task<HashSet<long>> InsertVotesAsync(IReadOnlyList<VoteRow> rows, CancellationToken ct)
        {
            var inserted = new HashSet<long>();
            foreach (var r in rows)
            {
                // Only a keyed vote can meet its key already in the ledger; the rest insert plainly.
                var sql = r.IdempotencyKey is null ? PlainInsert : KeyedInsert;
                var changed = store.RunWriterChanges(tx, sql, [
                    r.Id, r.Voter, r.Episode, r.Contestant, r.VoteType, r.Count, r.AmountCents, SqlArg.Text(r.Currency), r.PaymentMethod,
                    SqlArg.Int(r.BundleId), r.TransactionId, r.IdempotencyKey, r.RequestHash, r.Points,
                    r.Client.Ip, r.Client.UserAgent, r.Client.DeviceId, r.Client.AppVersion, r.CreatedAt]);
                if (changed == 1) inserted.Add(r.Id);
            }
            return Task.FromResult(inserted);
        }

        public Task<Dictionary<(long Episode, long Contestant), long>> ApplyAsync(IReadOnlyList<SetWrite> writes,
            IReadOnlyList<(long Episode, long Contestant)> totals, CancellationToken ct)
        {
            foreach (var write in writes) Apply(write);
            var found = new Dictionary<(long, long), long>();
            foreach (var key in totals)
            {
                found[key] = SqlValue.Long(First("SELECT CAST(COALESCE(SUM(votes), 0) AS BIGINT) FROM tallies WHERE episode_id = $1 AND contestant_id = $2",
                    key.Episode, key.Contestant)![0]);
            }
            return Task.FromResult(found);
        }

        /// <summary>One row at a time on the write's prepared statement; a guarded row that changes nothing refuses the batch.</summary>
        public void Apply(SetWrite write)
        {
            write.Verify(write.Rows.Sum(row => store.RunWriterChanges(tx, write.Sqlite, row)));
        }

        public Task CommitAsync(CancellationToken ct)
        {
            tx.Commit();
            _done = true;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            try
            {
                if (!_done) tx.Rollback();
                tx.Dispose();
            }
            catch (SqliteException)
            {
                store.DropWriter(); // the connection is in an unknown state: start afresh
            }
            finally
            {
                store.EndTurn();
            }
            return ValueTask.CompletedTask;
        }
    }
}
