using System.Globalization;
using Npgsql;
using Voting.Domain;

namespace Voting.Storage.Postgres;

/// <summary>
/// Several nodes on one PostgreSQL. The clock lock is a session advisory lock held on a
/// connection of its own: if the holder dies, PostgreSQL ends its session and frees the lock,
/// and another node takes it at its next try; a node that loses that connection stops holding
/// at once. Notices are NOTIFYs whose payload is "&lt;episode id&gt; &lt;node&gt;", so a node
/// can skip its own. Its connections hold session state (the LISTEN, the lock), so they come from
/// a pool that resets a connection given back (<see cref="PostgresDataSource.CreateForSessions"/>),
/// never the store's.
/// </summary>
public sealed class PostgresNodeCoordination(NpgsqlDataSource dataSource, string nodeName) : INodeCoordination
{
    /// <summary>NOTIFY channel: an episode's show changed (sent by the store on commit of the transition).</summary>
    public const string ShowChannel = "xfactor_show";

    /// <summary>NOTIFY channel: votes were committed for an episode.</summary>
    public const string ResultsChannel = "xfactor_results";

    private const long ClockLock = 0x58_46_00_03;
    private readonly SemaphoreSlim _lockGate = new(1, 1);
    private NpgsqlConnection? _lockConnection;
    private bool _held;

    public bool IsSingleNode => false;

    /// <summary>The payload of a notice about <paramref name="episode"/> sent by <paramref name="node"/>.</summary>
    public static string Payload(long episode, string node) => string.Create(CultureInfo.InvariantCulture, $"{episode} {node}");

    public async ValueTask<bool> TryHoldClockLockAsync(CancellationToken ct)
    {
        await _lockGate.WaitAsync(ct);
        try
        {
            _lockConnection ??= await dataSource.OpenConnectionAsync(ct);
            await using var cmd = new NpgsqlCommand(_held ? "SELECT true" : $"SELECT pg_try_advisory_lock({ClockLock})", _lockConnection);
            _held = (bool)(await cmd.ExecuteScalarAsync(ct))!;
            return _held;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            await DropLockConnectionAsync();
            return false;
        }
        finally
        {
            _lockGate.Release();
        }
    }

    public async ValueTask ReleaseClockLockAsync(CancellationToken ct)
    {
        await _lockGate.WaitAsync(ct);
        try
        {
            // A pooled connection keeps its session (and so the lock) until it is reused: unlock first.
            if (_held && _lockConnection is not null)
            {
                await using var cmd = new NpgsqlCommand($"SELECT pg_advisory_unlock({ClockLock})", _lockConnection);
                await cmd.ExecuteScalarAsync(ct);
            }
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // The connection is gone, and the lock with its session.
        }
        finally
        {
            await DropLockConnectionAsync();
            _lockGate.Release();
        }
    }

    private async Task DropLockConnectionAsync()
    {
        _held = false;
        if (_lockConnection is not null) await _lockConnection.DisposeAsync();
        _lockConnection = null;
    }

    public async Task PublishAsync(NodeNotice notice, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT pg_notify($1, $2)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = notice.Kind == NodeNoticeKind.ShowChanged ? ShowChannel : ResultsChannel });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Payload(notice.Episode.Value, nodeName) });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task ListenAsync(Action<NodeNotice> onNotice, Action onListening, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        connection.Notification += (_, n) =>
        {
            if (Parse(n.Channel, n.Payload) is { } notice) onNotice(notice);
        };
        await using (var listen = new NpgsqlCommand($"LISTEN {ShowChannel}; LISTEN {ResultsChannel}", connection))
            await listen.ExecuteNonQueryAsync(ct);
        onListening();
        while (true) await connection.WaitAsync(ct);
    }

    private NodeNotice? Parse(string channel, string payload)
    {
        var parts = payload.Split(' ', 2);
        if (!long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return null;
        // This node's own changes reached its feeds and clock directly, in order.
        if (parts.Length == 2 && parts[1] == nodeName) return null;
        return channel switch
        {
            ShowChannel => new NodeNotice(NodeNoticeKind.ShowChanged, new EpisodeId(id)),
            ResultsChannel => new NodeNotice(NodeNoticeKind.ResultsChanged, new EpisodeId(id)),
            _ => null,
        };
    }

    public async ValueTask DisposeAsync()
    {
        await DropLockConnectionAsync();
        _lockGate.Dispose();
    }
}
