using System.Data.Common;

namespace Voting.Storage.Sql;

/// <summary>
/// The store logic shared by both providers: the SQL is written once in the dialect both
/// SQLite and PostgreSQL accept (ON CONFLICT, RETURNING, positional $n parameters).
/// Providers supply connections, parameter binding, locking and statement batching.
/// </summary>
public abstract partial class SqlVotingStore(StorageOptions options, TimeProvider time) : IVotingStore
{
    protected StorageOptions Options { get; } = options;
    protected TimeProvider Time { get; } = time;

    /// <summary>Folder of this provider's migrations (embedded resources).</summary>
    protected abstract string MigrationFolder { get; }

    /// <summary>Row-lock suffix that serializes vote batches of one voter across connections and nodes.</summary>
    protected abstract string ForUpdate { get; }

    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken ct);

    protected abstract DbParameter CreateParameter(int position, SqlArg arg);

    /// <summary>Begins a transaction that may take write locks at once.</summary>
    protected abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);

    /// <summary>Serializes operators' window changes across nodes (inside the transaction).</summary>
    protected abstract Task LockVotingWindowsAsync(DbConnection connection, DbTransaction tx, CancellationToken ct);

    /// <summary>Serializes code requests for one phone across connections and nodes (inside the transaction).</summary>
    protected abstract Task LockPhoneAsync(DbConnection connection, DbTransaction tx, string phone, CancellationToken ct);

    /// <summary>Serializes migrations across nodes.</summary>
    protected abstract Task LockMigrationsAsync(DbConnection connection, DbTransaction tx, CancellationToken ct);

    /// <summary>Whether an error is a deadlock or serialization failure worth retrying whole.</summary>
    protected abstract bool IsTransient(Exception error);

    /// <summary>Whether an error is a unique-constraint violation.</summary>
    protected abstract bool IsUniqueViolation(Exception error);

    protected long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public abstract ValueTask DisposeAsync();

    public async Task PingAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await ScalarAsync(c, null, "SELECT 1", ct);
    }

    public async Task MigrateAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await BeforeMigrationsAsync(c, ct);
        await using (var tx = await BeginWriteAsync(c, ct))
        {
            await LockMigrationsAsync(c, tx, ct);
            await ExecAsync(c, tx, "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)", ct);
            var applied = (await QueryAsync(c, tx, "SELECT version FROM schema_migrations", r => r.GetInt64(0), ct)).ToHashSet();
            foreach (var (version, name, sql) in LoadMigrations())
            {
                if (applied.Contains(version)) continue;
                await ExecMigrationAsync(c, tx, sql, ct);
                await ExecAsync(c, tx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", ct, version, name, NowMs);
            }
            await VerifyMigrationsAsync(c, tx, ct);
            await tx.CommitAsync(ct);
        }
        await AfterMigrationsAsync(c, ct);
    }

    /// <summary>
    /// Runs a migration's statement, or the wait for another node's migrations: over a large ledger
    /// (an index built on millions of votes) longer than a command's default 30 s. It gets an hour,
    /// then start-up fails and says so.
    /// </summary>
    protected async Task ExecMigrationAsync(DbConnection c, DbTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = Command(c, tx, sql, []);
        cmd.CommandTimeout = 3600;
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Before the migrations' transaction begins (SQLite turns foreign keys off to rebuild tables).</summary>
    protected virtual Task BeforeMigrationsAsync(DbConnection connection, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Before the migrations commit: throws when they left the schema inconsistent.</summary>
    protected virtual Task VerifyMigrationsAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) => Task.CompletedTask;

    /// <summary>After the migrations committed.</summary>
    protected virtual Task AfterMigrationsAsync(DbConnection connection, CancellationToken ct) => Task.CompletedTask;

    private IEnumerable<(long Version, string Name, string Sql)> LoadMigrations()
    {
        var asm = typeof(SqlVotingStore).Assembly;
        var prefix = $"Migrations/{MigrationFolder}/";
        foreach (var res in asm.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var name = res[prefix.Length..];
            var version = long.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
            using var stream = asm.GetManifestResourceStream(res) ?? throw new InvalidOperationException(res);
            using var reader = new StreamReader(stream);
            yield return (version, name, reader.ReadToEnd());
        }
    }

    // ADO helpers --------------------------------------------------------------------------

    protected DbCommand Command(DbConnection c, DbTransaction? tx, string sql, object?[] args)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        for (var i = 0; i < args.Length; i++) cmd.Parameters.Add(CreateParameter(i + 1, SqlArg.From(args[i])));
        return cmd;
    }

    protected async Task<int> ExecAsync(DbConnection c, DbTransaction? tx, string sql, CancellationToken ct, params object?[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    protected async Task<object?> ScalarAsync(DbConnection c, DbTransaction? tx, string sql, CancellationToken ct, params object?[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        var v = await cmd.ExecuteScalarAsync(ct);
        return v is DBNull ? null : v;
    }

    protected async Task<List<T>> QueryAsync<T>(DbConnection c, DbTransaction? tx, string sql, Func<DbDataReader, T> map, CancellationToken ct, params object?[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await reader.ReadAsync(ct)) list.Add(map(reader));
        return list;
    }

    /// <summary>Runs <paramref name="work"/> in a write transaction, retrying deadlocks.</summary>
    protected async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var turn = await WriterTurnAsync(ct);
                await using var c = await OpenAsync(ct);
                await using var tx = await BeginWriteAsync(c, ct);
                var result = await work(c, tx);
                await tx.CommitAsync(ct);
                return result;
            }
            catch (Exception e) when (attempt < 5 && IsTransient(e))
            {
                await Task.Delay(Random.Shared.Next(1, 10 * attempt), ct);
            }
        }
    }

    /// <summary>
    /// Waits for this process's turn to write, where the store has one writer at a time (SQLite):
    /// writers then queue in order here instead of in the database's busy handler, which sleeps
    /// in steps of up to 100 ms and would stall the vote writer behind a background write.
    /// </summary>
    protected virtual ValueTask<IDisposable?> WriterTurnAsync(CancellationToken ct) => ValueTask.FromResult<IDisposable?>(null);

    protected async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        return await work(c);
    }
}

/// <summary>Reader shortcuts that treat NULL as null.</summary>
internal static class Row
{
    public static long L(this DbDataReader r, int i) => r.IsDBNull(i) ? 0 : SqlValue.Long(r.GetValue(i));
    public static long? NL(this DbDataReader r, int i) => r.IsDBNull(i) ? null : SqlValue.Long(r.GetValue(i));
    public static int? NI(this DbDataReader r, int i) => r.IsDBNull(i) ? null : (int)SqlValue.Long(r.GetValue(i));
    public static string? S(this DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
    public static DateTimeOffset? T(this DbDataReader r, int i) => r.IsDBNull(i) ? null : SqlValue.FromMs(SqlValue.Long(r.GetValue(i)));
}
