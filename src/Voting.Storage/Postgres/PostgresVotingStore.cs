using System.Data;
using System.Data.Common;
using Npgsql;
using Voting.Storage.Sql;

namespace Voting.Storage.Postgres;

/// <summary>
/// The scale-out store: several nodes on one PostgreSQL. A vote batch runs each of its steps
/// as one pipelined round trip (NpgsqlBatch), statements auto-prepared by Npgsql.
/// </summary>
public sealed class PostgresVotingStore : SqlVotingStore
{
    private const long MigrationLock = 0x58_46_00_01;
    private const long VotingWindowLock = 0x58_46_00_02;
    private readonly NpgsqlDataSource _dataSource;

    public PostgresVotingStore(StorageOptions options, TimeProvider time) : base(options, time)
    {
        var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 128;
        if (builder.MaxPoolSize == 100) builder.MaxPoolSize = 64;
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>NOTIFY channel: an episode's show changed (payload: "&lt;episode id&gt; &lt;node&gt;"), sent on commit of the transition.</summary>
    public const string ShowChannel = "xfactor_show";

    /// <summary>NOTIFY channel: an episode's tallies changed (payload: "&lt;episode id&gt; &lt;node&gt;").</summary>
    public const string ResultsChannel = "xfactor_results";

    /// <summary>Session advisory lock held by the one node that runs the episode clocks.</summary>
    public const long ClockLock = 0x58_46_00_03;

    /// <summary>The data source, for other PostgreSQL features of the host (notifications, locks).</summary>
    public NpgsqlDataSource DataSource => _dataSource;

    protected override string MigrationFolder => "Postgres";
    protected override string ForUpdate => " FOR NO KEY UPDATE";
    protected override string SkipLocked => " FOR UPDATE SKIP LOCKED";

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken ct) => await _dataSource.OpenConnectionAsync(ct);

    protected override DbParameter CreateParameter(int position, SqlArg arg) =>
        new NpgsqlParameter { DbType = arg.Type, Value = arg.Value ?? DBNull.Value };

    protected override async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);

    protected override async ValueTask<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken ct) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);

    protected override Task LockVotingWindowsAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) =>
        ExecAsync(connection, tx, $"SELECT pg_advisory_xact_lock({VotingWindowLock})", ct);

    // NOTIFY inside the transaction: PostgreSQL delivers it on commit, and never for a rollback.
    // The payload is "<episode> <node>", so the node that made the change can skip its own.
    protected override Task ShowChangedAsync(DbConnection c, DbTransaction tx, long episode, CancellationToken ct) =>
        ExecAsync(c, tx, $"SELECT pg_notify('{ShowChannel}', $1)", ct,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{episode} {Options.NodeName}"));

    protected override Task LockMigrationsAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) =>
        ExecAsync(connection, tx, $"SELECT pg_advisory_xact_lock({MigrationLock})", ct);

    protected override Task LockPhoneAsync(DbConnection connection, DbTransaction tx, string phone, CancellationToken ct) =>
        ExecAsync(connection, tx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", ct, "otp:" + phone);

    protected override bool IsTransient(Exception error) =>
        error is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    protected override bool IsUniqueViolation(Exception error) =>
        error is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    private protected override async Task<IVoteBatchIo> BeginVoteBatchAsync(CancellationToken ct)
    {
        var c = await _dataSource.OpenConnectionAsync(ct);
        try
        {
            return new PostgresVoteBatchIo(c, await c.BeginTransactionAsync(IsolationLevel.ReadCommitted, ct));
        }
        catch
        {
            await c.DisposeAsync();
            throw;
        }
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
