using System.Data.Common;
using Microsoft.Data.Sqlite;
using Voting.Storage.Sql;

namespace Voting.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode with synchronous=FULL, so a committed
/// vote survives a crash or power loss. SQLite has one writer at a time; the vote writer
/// keeps its own connection and prepared statements, readers use the pool.
/// </summary>
public sealed partial class SqliteVotingStore : SqlVotingStore
{
    // synchronous=FULL: a commit is on disk before the vote is acknowledged. A larger page cache
    // and memory-mapped reads keep index lookups off the read() system call as the ledger grows.
    // With Storage:SqliteBackgroundCheckpoint the WAL is checkpointed in the background
    // (WalCheckpointer) and a connection's own autocheckpoint is only the bound should that stop;
    // journal_size_limit trims the WAL file after a restart.
    private const string ConnectionPragmas =
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; PRAGMA cache_size = -65536; PRAGMA mmap_size = 1073741824; " +
        "PRAGMA journal_size_limit = 67108864;";
    private readonly string _connectionPragmas;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writerGate = new(1, 1);
    private SqliteConnection? _writer;
    private readonly Dictionary<string, SqliteCommand> _writerCommands = new(StringComparer.Ordinal);
    private readonly WalCheckpointer? _checkpointer;

    public SqliteVotingStore(StorageOptions options, TimeProvider time) : base(options, time)
    {
        var builder = new SqliteConnectionStringBuilder(options.ConnectionString) { Pooling = true };
        if (builder.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(builder.DataSource))
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        }
        _connectionString = builder.ToString();
        using var c = new SqliteConnection(_connectionString);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode = WAL;";
        var journal = cmd.ExecuteScalar() as string;
        var background = options.SqliteBackgroundCheckpoint && string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase);
        _connectionPragmas = ConnectionPragmas + (background ? $" PRAGMA wal_autocheckpoint = {AutoCheckpointFrames};" : "");
        if (background) _checkpointer = new WalCheckpointer(this);
    }

    protected override string MigrationFolder => "Sqlite";
    protected override string ForUpdate => "";

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(ct);
        using var cmd = c.CreateCommand();
        cmd.CommandText = _connectionPragmas;
        cmd.ExecuteNonQuery();
        return c;
    }

    protected override DbParameter CreateParameter(int position, SqlArg arg) =>
        new SqliteParameter("$" + position.ToString(System.Globalization.CultureInfo.InvariantCulture), arg.Value ?? DBNull.Value);

    // Microsoft.Data.Sqlite begins IMMEDIATE unless deferred: the write lock is taken at once,
    // so two writers never deadlock upgrading a read lock.
    protected override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    protected override ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    protected override Task LockVotingWindowsAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) => Task.CompletedTask;
    protected override Task LockMigrationsAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) => Task.CompletedTask;

    // SQLite's procedure for changes ALTER TABLE cannot make (a table rebuilt, dropped and renamed):
    // foreign keys off outside the transaction, checked before it commits, on again after.
    protected override async Task BeforeMigrationsAsync(DbConnection connection, CancellationToken ct) =>
        await ExecAsync(connection, null, "PRAGMA foreign_keys = OFF", ct);

    protected override async Task VerifyMigrationsAsync(DbConnection connection, DbTransaction tx, CancellationToken ct)
    {
        var broken = await QueryAsync(connection, tx, "PRAGMA foreign_key_check", r => $"{r.GetString(0)} row {r.GetValue(1)} -> {r.GetString(2)}", ct);
        if (broken.Count > 0)
            throw new InvalidOperationException($"Migrations would leave {broken.Count} foreign key(s) broken: {string.Join("; ", broken.Take(5))}");
    }

    protected override async Task AfterMigrationsAsync(DbConnection connection, CancellationToken ct) =>
        await ExecAsync(connection, null, "PRAGMA foreign_keys = ON", ct);
    protected override Task LockPhoneAsync(DbConnection connection, DbTransaction tx, string phone, CancellationToken ct) => Task.CompletedTask;

    protected override bool IsTransient(Exception error) =>
        error is SqliteException { SqliteErrorCode: 5 or 6 };

    protected override bool IsUniqueViolation(Exception error) =>
        error is SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 or 1555 };

    protected override async ValueTask<IDisposable?> WriterTurnAsync(CancellationToken ct)
    {
        await _writerGate.WaitAsync(ct);
        return new Turn(this);
    }

    /// <summary>A writer's turn is over: release the gate, and a checkpoint is due.</summary>
    private void EndTurn()
    {
        _writerGate.Release();
        _checkpointer?.Wrote();
    }

    private sealed class Turn(SqliteVotingStore store) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) store.EndTurn();
        }
    }

    private protected override async Task<IVoteBatchIo> BeginVoteBatchAsync(CancellationToken ct)
    {
        await _writerGate.WaitAsync(ct);
        try
        {
            if (_writer is null)
            {
                _writer = (SqliteConnection)await OpenAsync(ct);
                _writerCommands.Clear();
            }
            return new VoteBatchIo(this, _writer.BeginTransaction(deferred: false));
        }
        catch
        {
            DropWriter();
            _writerGate.Release();
            throw;
        }
    }

    /// <summary>Runs one statement on the writer connection, reusing its prepared command.</summary>
    private List<object?[]> RunWriter(SqliteTransaction tx, string sql, object?[] args)
    {
        var cmd = WriterCommand(tx, sql, args);
        var rows = new List<object?[]>();
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var k = 0; k < row.Length; k++) row[k] = reader.IsDBNull(k) ? null : reader.GetValue(k);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>Runs one INSERT, UPDATE or upsert on the writer connection: the rows it changed.</summary>
    private int RunWriterChanges(SqliteTransaction tx, string sql, object?[] args) => WriterCommand(tx, sql, args).ExecuteNonQuery();

    private SqliteCommand WriterCommand(SqliteTransaction tx, string sql, object?[] args)
    {
        if (!_writerCommands.TryGetValue(sql, out var cmd))
        {
            cmd = _writer!.CreateCommand();
            cmd.CommandText = sql;
            for (var j = 0; j < args.Length; j++)
                cmd.Parameters.Add(new SqliteParameter("$" + (j + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), null));
            _writerCommands[sql] = cmd;
        }
        cmd.Transaction = tx;
        for (var j = 0; j < args.Length; j++) cmd.Parameters[j].Value = SqlArg.From(args[j]).Value ?? DBNull.Value;
        return cmd;
    }

    private void DropWriter()
    {
        foreach (var cmd in _writerCommands.Values) cmd.Dispose();
        _writerCommands.Clear();
        _writer?.Dispose();
        _writer = null;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_checkpointer is not null) await _checkpointer.DisposeAsync();
        _writerGate.Wait();
        DropWriter();
        _writerGate.Release();
        SqliteConnection.ClearAllPools();
    }
}
