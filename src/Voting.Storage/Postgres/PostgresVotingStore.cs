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
    private readonly bool _ownsDataSource;

    /// <param name="dataSource">The process's connection pool (see <see cref="PostgresDataSource"/>).</param>
    /// <param name="ownsDataSource">Whether disposing the store disposes the pool (not when it comes from dependency injection).</param>
    public PostgresVotingStore(StorageOptions options, NpgsqlDataSource dataSource, TimeProvider time, bool ownsDataSource = false)
        : base(options, time)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
    }

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
    protected override Task ShowChangedAsync(DbConnection c, DbTransaction tx, long episode, CancellationToken ct) =>
        ExecAsync(c, tx, $"SELECT pg_notify('{PostgresNodeCoordination.ShowChannel}', $1)", ct,
            PostgresNodeCoordination.Payload(episode, Options.NodeName));

    // Another node may be migrating a large ledger: wait as long as a migration may take.
    protected override Task LockMigrationsAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) =>
        ExecMigrationAsync(connection, tx, $"SELECT pg_advisory_xact_lock({MigrationLock})", ct);

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

    private protected override async Task LockVotersAsync(DbConnection c, DbTransaction tx, long[] voters, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT id FROM voters WHERE id = ANY($1) ORDER BY id FOR NO KEY UPDATE", (NpgsqlConnection)c, (NpgsqlTransaction)tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = voters });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
        }
    }

    private protected override async Task ApplyWriteAsync(DbConnection c, DbTransaction tx, Ledger.SetWrite write, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(write.Postgres, (NpgsqlConnection)c, (NpgsqlTransaction)tx);
        for (var i = 0; i < write.Columns.Length; i++) cmd.Parameters.Add(new NpgsqlParameter { Value = write.Column(i) });
        var changed = 0;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct)) changed++;
        }
        write.Verify(changed);
    }

    public override ValueTask DisposeAsync() => _ownsDataSource ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;
}
