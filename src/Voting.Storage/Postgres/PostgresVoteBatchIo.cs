using System.Data;
using Npgsql;
using NpgsqlTypes;
using Voting.Domain;
using Voting.Domain.Voting;
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
    private sealed record Sql(string Text, bool ReturnsRows, params object[] Args);

    private async Task<List<List<object?[]>>> RunAsync(List<Sql> statements, CancellationToken ct)
    {
        var results = new List<List<object?[]>>(statements.Count);
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
            results.Add(rows);
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
            new("SELECT id FROM voters WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE", true, r.VoterIds),
            new($"{EpisodeColumns} WHERE id = ANY($1) OR id = {OpenEpisodeId} FOR SHARE", true, r.EpisodeIds),
            new($"SELECT {OpenEpisodeId}", true),
            new($"{LineupColumns} WHERE ec.episode_id = ANY($1) OR ec.episode_id = {OpenEpisodeId}", true, r.EpisodeIds),
            new("SELECT v.id, v.phone, v.phone_verified_at, v.vote_balance, COALESCE(ds.used, 0) FROM voters v LEFT JOIN voter_daily_sms ds ON ds.voter_id = v.id AND ds.day = $2 WHERE v.id = ANY($1)",
                true, r.VoterIds, r.SmsDay),
            new($"SELECT voter_id, episode_id, free_used FROM voter_episode WHERE voter_id = ANY($1) AND (episode_id = ANY($2) OR episode_id = {OpenEpisodeId})",
                true, r.VoterIds, r.EpisodeIds),
            new("SELECT voter_id, id, remaining_votes FROM bundles WHERE voter_id = ANY($1) AND remaining_votes > 0 ORDER BY id", true, r.BundleVoterIds),
            new($"{ExistingColumns} JOIN unnest($1::bigint[], $2::text[]) AS k(voter_id, key) ON v.voter_id = k.voter_id AND v.idempotency_key = k.key",
                true, keyVoters, keys),
            new("SELECT id FROM contestants WHERE id = ANY($1)", true, r.ContestantIds),
            new("SELECT nextval(pg_get_serial_sequence('votes', 'id')) FROM generate_series(1, $1)", true, (long)r.IdCount),
        ], ct);

        var ctx = new BatchContext();
        var windows = res[1].ToDictionary(row => SqlValue.Long(row[0]), row =>
            new EpisodeWindow(new EpisodeId(SqlValue.Long(row[0])), (string)row[1]!, SqlValue.Time(row[2]), SqlValue.Time(row[3])));
        foreach (var (id, w) in windows) ctx.Windows[id] = w;
        if (res[2][0][0] is { } openId && windows.TryGetValue(SqlValue.Long(openId), out var open)) ctx.OpenEpisode = open;
        foreach (var row in res[3])
        {
            var episode = SqlValue.Long(row[0]);
            if (!ctx.Lineups.TryGetValue(episode, out var lineup)) ctx.Lineups[episode] = lineup = [];
            lineup[SqlValue.Long(row[1])] = new LineupEntry(new ContestantId(SqlValue.Long(row[1])), (string)row[2]!, (int)SqlValue.Long(row[3]),
                (string)row[4]! == "eliminated");
        }
        foreach (var row in res[4])
            ctx.Voters[SqlValue.Long(row[0])] = new VoterState((string)row[1]!, row[2] is not null, SqlValue.Long(row[3]), SqlValue.Long(row[4]));
        foreach (var row in res[5]) ctx.FreeUsed[(SqlValue.Long(row[0]), SqlValue.Long(row[1]))] = SqlValue.Long(row[2]);
        foreach (var row in res[6])
        {
            var voter = SqlValue.Long(row[0]);
            if (!ctx.Bundles.TryGetValue(voter, out var list)) ctx.Bundles[voter] = list = [];
            list.Add((SqlValue.Long(row[1]), SqlValue.Long(row[2])));
        }
        foreach (var (key, vote) in Existing(res[7])) ctx.Existing[key] = vote;
        foreach (var row in res[8]) ctx.Contestants.Add(SqlValue.Long(row[0]));
        ctx.VoteIds.AddRange(res[9].Select(row => SqlValue.Long(row[0])));
        return ctx;
    }

    private static IEnumerable<((long, string), ExistingVote)> Existing(List<object?[]> rows) => rows.Select(row =>
        ((SqlValue.Long(row[6]), (string)row[7]!), new ExistingVote(SqlValue.Long(row[0]), SqlValue.Text(row[1]), SqlValue.Long(row[2]),
            SqlValue.Long(row[3]), (int)SqlValue.Long(row[4]), (string)row[5]!)));

    public async Task<Dictionary<(long Voter, string Key), ExistingVote>> FindVotesAsync(IReadOnlyList<(long Voter, string Key)> keys, CancellationToken ct)
    {
        var res = await RunAsync(
        [
            new($"{ExistingColumns} JOIN unnest($1::bigint[], $2::text[]) AS k(voter_id, key) ON v.voter_id = k.voter_id AND v.idempotency_key = k.key",
                true, keys.Select(k => k.Voter).ToArray(), keys.Select(k => (string?)k.Key).ToArray()),
        ], ct);
        return Existing(res[0]).ToDictionary(x => x.Item1, x => x.Item2);
    }

    public async Task<HashSet<long>> InsertVotesAsync(IReadOnlyList<VoteRow> rows, CancellationToken ct)
    {
        long[] L(Func<VoteRow, long> f) => rows.Select(f).ToArray();
        string?[] T(Func<VoteRow, string?> f) => rows.Select(f).ToArray();
        var res = await RunAsync(
        [
            new($"{InsertColumns} SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::text[], $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::bigint[], $11::text[], $12::text[], $13::text[], $14::bigint[], $15::text[], $16::text[], $17::text[], $18::text[], $19::bigint[]) {OnKeyConflict}",
                true, L(r => r.Id), L(r => r.Voter), L(r => r.Episode), L(r => r.Contestant), T(r => r.VoteType), L(r => r.Count), L(r => r.AmountCents),
                T(r => r.Currency), T(r => r.PaymentMethod), rows.Select(r => r.BundleId).ToArray(), T(r => r.TransactionId), T(r => r.IdempotencyKey),
                T(r => r.RequestHash), L(r => r.Points), T(r => r.Client.Ip), T(r => r.Client.UserAgent), T(r => r.Client.DeviceId),
                T(r => r.Client.AppVersion), L(r => r.CreatedAt)),
        ], ct);
        return res[0].Select(row => SqlValue.Long(row[0])).ToHashSet();
    }

    public async Task<Dictionary<(long Episode, long Contestant), long>> ApplyAsync(BatchEffects e, CancellationToken ct)
    {
        var res = await RunAsync(
        [
            new("UPDATE voters v SET vote_balance = v.vote_balance - d.n FROM unnest($1::bigint[], $2::bigint[]) AS d(id, n) WHERE v.id = d.id AND v.vote_balance >= d.n RETURNING v.id",
                true, e.Balances.Select(x => x.Voter).ToArray(), e.Balances.Select(x => x.Debit).ToArray()),
            new($"INSERT INTO voter_episode (voter_id, episode_id, free_used, paid_cast, votes_cast) SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) {VoterEpisodeUpsert} $6 RETURNING voter_id",
                true, e.VoterEpisodes.Select(x => x.Voter).ToArray(), e.VoterEpisodes.Select(x => x.Episode).ToArray(), e.VoterEpisodes.Select(x => x.Free).ToArray(),
                e.VoterEpisodes.Select(x => x.Paid).ToArray(), e.VoterEpisodes.Select(x => x.Total).ToArray(), (long)VoteRules.FreeVotesPerEpisode),
            new($"INSERT INTO voter_daily_sms (voter_id, day, used) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[]) {SmsUpsert} $4 RETURNING voter_id",
                true, e.Sms.Select(x => x.Voter).ToArray(), e.Sms.Select(x => (string?)x.Day).ToArray(), e.Sms.Select(x => x.Used).ToArray(), (long)VoteRules.SmsVotesPerDay),
            new("UPDATE bundles b SET remaining_votes = b.remaining_votes - d.n FROM unnest($1::bigint[], $2::bigint[]) AS d(id, n) WHERE b.id = d.id AND b.remaining_votes >= d.n RETURNING b.id",
                true, e.Bundles.Select(x => x.Bundle).ToArray(), e.Bundles.Select(x => x.Used).ToArray()),
            new($"INSERT INTO tallies (episode_id, contestant_id, vote_type, shard, votes) SELECT d.e, d.c, d.t, $5, d.v FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[]) AS d(e, c, t, v) {TallyUpsert}",
                false, e.Tallies.Select(x => x.Episode).ToArray(), e.Tallies.Select(x => x.Contestant).ToArray(), e.Tallies.Select(x => (string?)x.Type).ToArray(),
                e.Tallies.Select(x => x.Votes).ToArray(), (long)e.Shard),
            new($"INSERT INTO hourly_tallies (episode_id, hour, shard, votes) SELECT d.e, d.h, $4, d.v FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS d(e, h, v) {HourlyUpsert}",
                false, e.Hourly.Select(x => x.Episode).ToArray(), e.Hourly.Select(x => x.Hour).ToArray(), e.Hourly.Select(x => x.Votes).ToArray(), (long)e.Shard),
            new("INSERT INTO carrier_charges (vote_id, voter_id, carrier, amount_cents, currency, created_at) SELECT d.v, d.u, d.c, d.a, d.cur, $6 FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::text[]) AS d(v, u, c, a, cur)",
                false, e.Charges.Select(x => x.Vote).ToArray(), e.Charges.Select(x => x.Voter).ToArray(), e.Charges.Select(x => (string?)x.Carrier).ToArray(),
                e.Charges.Select(x => x.AmountCents).ToArray(), e.Charges.Select(x => (string?)x.Currency).ToArray(), e.CreatedAt),
            new("SELECT t.episode_id, t.contestant_id, CAST(SUM(t.votes) AS BIGINT) FROM tallies t JOIN unnest($1::bigint[], $2::bigint[]) AS k(e, c) ON t.episode_id = k.e AND t.contestant_id = k.c GROUP BY t.episode_id, t.contestant_id",
                true, e.ContestantTotals.Select(x => x.Episode).ToArray(), e.ContestantTotals.Select(x => x.Contestant).ToArray()),
            // Minute rows after the tallies, in key order, like every other projection: one lock order for all batches.
            new($"INSERT INTO minute_tallies (episode_id, minute, contestant_id, shard, votes, last_at) SELECT d.e, d.m, d.c, $5, d.v, $6 FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[]) AS d(e, m, c, v) {MinuteUpsert}, last_at = GREATEST(minute_tallies.last_at, excluded.last_at)",
                false, e.Minutes.Select(x => x.Episode).ToArray(), e.Minutes.Select(x => x.Minute).ToArray(), e.Minutes.Select(x => x.Contestant).ToArray(),
                e.Minutes.Select(x => x.Votes).ToArray(), (long)e.Shard, e.CreatedAt),
            PushPendingStatement(e),
        ], ct);
        Guard(res[0].Count, e.Balances.Count, "wallet balance");
        Guard(res[1].Count, e.VoterEpisodes.Count, "free votes");
        Guard(res[2].Count, e.Sms.Count, "SMS votes");
        Guard(res[3].Count, e.Bundles.Count, "bundle votes");
        return res[7].ToDictionary(row => (SqlValue.Long(row[0]), SqlValue.Long(row[1])), row => SqlValue.Long(row[2]));
    }

    private static void Guard(int changed, int expected, string what)
    {
        if (changed != expected) throw new LimitGuardException($"a batch would have broken the {what} limit");
    }

    public Task CommitAsync(CancellationToken ct) => tx.CommitAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await tx.DisposeAsync();
        await connection.DisposeAsync();
    }
}
