using System.Data;
using Npgsql;
using NpgsqlTypes;
using Voting.Domain;
using Voting.Domain.Voting;
using Voting.Storage.Ledger;
using Voting.Storage.Sql;
using static Voting.Storage.Sql.VoteSql;

namespace Voting.Storage.Postgres;

/// <summary>
/// A vote batch on PostgreSQL in three round trips whatever its size: read (voters locked in
/// id order, so nodes never deadlock), insert the ledger rows, move the projections. Every
/// statement is set-based over arrays, so a thousand votes cost a handful of statements.
/// </summary>
internal sealed partial class PostgresVoteBatchIo(NpgsqlConnection connection, NpgsqlTransaction tx) : IVoteBatchIo
{
    private sealed record Sql(string Name, string Text, bool ReturnsRows, params object[] Args);

    /// <summary>Runs the statements in one round trip; each statement's rows by its name.</summary>
    private async Task<Dictionary<string, List<object?[]>>> RunAsync(List<Sql> statements, CancellationToken ct)
    {
        var results = new Dictionary<string, List<object?[]>>(statements.Count, StringComparer.Ordinal);
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var st in statements)
        {
            var cmd = new NpgsqlBatchCommand(st.Text);
            foreach (var a in st.Args) cmd.Parameters.Add(Parameter(a));
            batch.BatchCommands.Add(cmd);
        }
        await using var reader = await batch.ExecuteReaderAsync(ct);
        // The reader moves only across statements that have result sets.
        foreach (var st in statements)
        {
            var rows = new List<object?[]>();
            results.Add(st.Name, rows);
            if (!st.ReturnsRows) continue;
            while (await reader.ReadAsync(ct))
            {
                var row = new object?[reader.FieldCount];
                for (var k = 0; k < row.Length; k++) row[k] = reader.IsDBNull(k) ? null : reader.GetValue(k);
                rows.Add(row);
            }
            await reader.NextResultAsync(ct);
        }
        return results;
    }

    private static NpgsqlParameter Parameter(object value) => value switch
    {
        long[] a => new NpgsqlParameter { Value = a, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
        long?[] a => new NpgsqlParameter { Value = a, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint },
        string?[] a => new NpgsqlParameter { Value = a, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text },
        long l => new NpgsqlParameter { Value = l, NpgsqlDbType = NpgsqlDbType.Bigint },
        int i => new NpgsqlParameter { Value = (long)i, NpgsqlDbType = NpgsqlDbType.Bigint },
        string s => new NpgsqlParameter { Value = s, NpgsqlDbType = NpgsqlDbType.Text },
        _ => throw new ArgumentException($"unsupported parameter {value.GetType()}", nameof(value)),
    };

    public async Task<BatchContext> LoadContextAsync(ContextRequest r, CancellationToken ct)
    {
        var keyVoters = r.Keys.Select(k => k.Voter).ToArray();
        var keys = r.Keys.Select(k => (string?)k.Key).ToArray();
        var res = await RunAsync(
        [
            // Locked in id order (so nodes never deadlock) and read in the same scan: a row another
            // batch changed is read as that batch committed it (READ COMMITTED re-reads a row it waited for).
            new("voters", "SELECT id, phone, phone_verified_at, vote_balance FROM voters WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE", true, r.VoterIds),
            new("windows", $"{EpisodeColumns} WHERE id = ANY($1) OR id = {OpenEpisodeId} FOR SHARE", true, r.EpisodeIds),
            new("open episode", $"SELECT {OpenEpisodeId}", true),
            new("lineups", $"{LineupColumns} WHERE ec.episode_id = ANY($1) OR ec.episode_id = {OpenEpisodeId}", true, r.EpisodeIds),
            // After the voter locks, in a snapshot of its own: the SMS counts other batches committed meanwhile.
            new("sms used", "SELECT voter_id, used FROM voter_daily_sms WHERE voter_id = ANY($1) AND day = $2", true, r.VoterIds, r.SmsDay),
            new("free used", $"SELECT voter_id, episode_id, free_used FROM voter_episode WHERE voter_id = ANY($1) AND (episode_id = ANY($2) OR episode_id = {OpenEpisodeId})",
                true, r.VoterIds, r.EpisodeIds),
            new("bundles", "SELECT voter_id, id, remaining_votes FROM bundles WHERE voter_id = ANY($1) AND remaining_votes > 0 ORDER BY id", true, r.BundleVoterIds),
            new("existing", $"{ExistingColumns} JOIN unnest($1::bigint[], $2::text[]) AS k(voter_id, key) ON v.voter_id = k.voter_id AND v.idempotency_key = k.key",
                true, keyVoters, keys),
            new("contestants", "SELECT id FROM contestants WHERE id = ANY($1)", true, r.ContestantIds),
            // The sequence is looked up once (pg_depend), not once per id.
            new("vote ids", "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence('votes', 'id')::regclass AS seq) SELECT nextval(s.seq) FROM s CROSS JOIN generate_series(1, $1)",
                true, (long)r.IdCount),
        ], ct);

        var ctx = new BatchContext();
        var windows = res["windows"].ToDictionary(row => SqlValue.Long(row[0]), row =>
            new EpisodeWindow(new EpisodeId(SqlValue.Long(row[0])), (string)row[1]!, SqlValue.Time(row[2]), SqlValue.Time(row[3])));
        foreach (var (id, w) in windows) ctx.Windows[id] = w;
        if (res["open episode"][0][0] is { } openId && windows.TryGetValue(SqlValue.Long(openId), out var open)) ctx.OpenEpisode = open;
        foreach (var row in res["lineups"])
        {
            var episode = SqlValue.Long(row[0]);
            if (!ctx.Lineups.TryGetValue(episode, out var lineup)) ctx.Lineups[episode] = lineup = [];
            lineup[SqlValue.Long(row[1])] = new LineupEntry(new ContestantId(SqlValue.Long(row[1])), (string)row[2]!, (int)SqlValue.Long(row[3]),
                (string)row[4]! == "eliminated");
        }
        var smsUsed = res["sms used"].ToDictionary(row => SqlValue.Long(row[0]), row => SqlValue.Long(row[1]));
        foreach (var row in res["voters"])
        {
            var id = SqlValue.Long(row[0]);
            ctx.Voters[id] = new VoterState((string)row[1]!, row[2] is not null, SqlValue.Long(row[3]), smsUsed.GetValueOrDefault(id));
        }
        foreach (var row in res["free used"]) ctx.FreeUsed[(SqlValue.Long(row[0]), SqlValue.Long(row[1]))] = SqlValue.Long(row[2]);
        foreach (var row in res["bundles"])
        {
            var voter = SqlValue.Long(row[0]);
            if (!ctx.Bundles.TryGetValue(voter, out var list)) ctx.Bundles[voter] = list = [];
            list.Add((SqlValue.Long(row[1]), SqlValue.Long(row[2])));
        }
        foreach (var (key, vote) in Existing(res["existing"])) ctx.Existing[key] = vote;
        foreach (var row in res["contestants"]) ctx.Contestants.Add(SqlValue.Long(row[0]));
        ctx.VoteIds.AddRange(res["vote ids"].Select(row => SqlValue.Long(row[0])));
        return ctx;
    }

    private static IEnumerable<((long, string), ExistingVote)> Existing(List<object?[]> rows) => rows.Select(row =>
        ((SqlValue.Long(row[6]), (string)row[7]!), new ExistingVote(SqlValue.Long(row[0]), SqlValue.Text(row[1]), SqlValue.Long(row[2]),
            SqlValue.Long(row[3]), (int)SqlValue.Long(row[4]), (string)row[5]!)));

    public async Task<Dictionary<(long Voter, string Key), ExistingVote>> FindVotesAsync(IReadOnlyList<(long Voter, string Key)> keys, CancellationToken ct)
    {
        var res = await RunAsync(
        [
            new("existing", $"{ExistingColumns} JOIN unnest($1::bigint[], $2::text[]) AS k(voter_id, key) ON v.voter_id = k.voter_id AND v.idempotency_key = k.key",
                true, keys.Select(k => k.Voter).ToArray(), keys.Select(k => (string?)k.Key).ToArray()),
        ], ct);
        return Existing(res["existing"]).ToDictionary(x => x.Item1, x => x.Item2);
    }

    public async Task<HashSet<long>> InsertVotesAsync(IReadOnlyList<VoteRow> rows, CancellationToken ct)
    {
        long[] L(Func<VoteRow, long> f) => rows.Select(f).ToArray();
        string?[] T(Func<VoteRow, string?> f) => rows.Select(f).ToArray();
        var res = await RunAsync(
        [
            new("inserted", $"{InsertColumns} SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::bigint[], $11::text[], $12::text[], $13::text[], $14::bigint[], $15::text[], $16::text[], $17::text[], $18::text[], $19::bigint[]) {OnKeyConflict} RETURNING id",
                true, L(r => r.Id), L(r => r.Voter), L(r => r.Episode), L(r => r.Contestant), T(r => r.VoteType), L(r => r.Count), L(r => r.AmountCents),
                T(r => r.Currency), T(r => r.PaymentMethod), rows.Select(r => r.BundleId).ToArray(), T(r => r.TransactionId), T(r => r.IdempotencyKey),
                T(r => r.RequestHash), L(r => r.Points), T(r => r.Client.Ip), T(r => r.Client.UserAgent), T(r => r.Client.DeviceId),
                T(r => r.Client.AppVersion), L(r => r.CreatedAt)),
        ], ct);
        return res["inserted"].Select(row => SqlValue.Long(row[0])).ToHashSet();
    }

    public async Task<Dictionary<(long Episode, long Contestant), long>> ApplyAsync(IReadOnlyList<SetWrite> writes,
        IReadOnlyList<(long Episode, long Contestant)> totals, CancellationToken ct)
    {
        var statements = writes.Select(Statement).ToList();
        statements.Add(new("totals",
            "SELECT t.episode_id, t.contestant_id, CAST(SUM(t.votes) AS BIGINT) FROM tallies t JOIN unnest($1::bigint[], $2::bigint[]) AS k(e, c) ON t.episode_id = k.e AND t.contestant_id = k.c GROUP BY t.episode_id, t.contestant_id",
            true, totals.Select(x => x.Episode).ToArray(), totals.Select(x => x.Contestant).ToArray()));
        var res = await RunAsync(statements, ct);
        foreach (var write in writes) write.Verify(res[write.Name].Count);
        return res["totals"].ToDictionary(row => (SqlValue.Long(row[0]), SqlValue.Long(row[1])), row => SqlValue.Long(row[2]));
    }

    /// <summary>All of a write's rows in one statement, one array per column.</summary>
    private static Sql Statement(SetWrite write) =>
        new(write.Name, write.Postgres, write.Guarded, Enumerable.Range(0, write.Columns.Length).Select(write.Column).ToArray());


    public Task CommitAsync(CancellationToken ct) => tx.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await tx.DisposeAsync();
        await connection.DisposeAsync();
    }
}
