using Npgsql;
using Voting.Storage.Postgres;

namespace Voting.Server.Show;

/// <summary>Which node runs the episode clocks (closes windows on time).</summary>
public interface IClockLeadership : IAsyncDisposable
{
    /// <summary>True where one process is the whole service (SQLite): it always leads.</summary>
    bool IsSingleNode { get; }

    /// <summary>Tries to lead, or checks that this node still does.</summary>
    ValueTask<bool> HoldAsync(CancellationToken ct);
}

/// <summary>SQLite: the one process runs the clocks.</summary>
public sealed class SingleNodeLeadership : IClockLeadership
{
    public bool IsSingleNode => true;

    public ValueTask<bool> HoldAsync(CancellationToken ct) => ValueTask.FromResult(true);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// PostgreSQL: the node holding a session advisory lock on its own connection leads. If that
/// node dies, PostgreSQL ends its session and frees the lock, and another node takes it on its
/// next try; a node that loses its connection stops leading at once.
/// </summary>
public sealed class PostgresClockLeadership(PostgresVotingStore store) : IClockLeadership
{
    private NpgsqlConnection? _connection;
    private bool _held;

    public bool IsSingleNode => false;

    public async ValueTask<bool> HoldAsync(CancellationToken ct)
    {
        try
        {
            _connection ??= await store.DataSource.OpenConnectionAsync(ct);
            await using var cmd = _held
                ? new NpgsqlCommand("SELECT true", _connection)
                : new NpgsqlCommand($"SELECT pg_try_advisory_lock({PostgresVotingStore.ClockLock})", _connection);
            _held = (bool)(await cmd.ExecuteScalarAsync(ct))!;
            return _held;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            await DropAsync();
            return false;
        }
    }

    private async Task DropAsync()
    {
        _held = false;
        if (_connection is not null) await _connection.DisposeAsync();
        _connection = null;
    }

    public async ValueTask DisposeAsync() => await DropAsync();
}
