using System.Globalization;
using Microsoft.Extensions.Options;
using Npgsql;
using Voting.Domain;
using Voting.Server.Infrastructure;
using Voting.Server.Show;
using Voting.Server.Voting;
using Voting.Storage;
using Voting.Storage.Postgres;

namespace Voting.Server.Live;

/// <summary>
/// Several nodes on one PostgreSQL: this node LISTENs for show changes (NOTIFY sent by the
/// store on commit of a transition) and for results changes, and NOTIFYs the others when its
/// vote writer commits, at most every <see cref="LiveOptions.NotifyIntervalMs"/> per episode.
/// After a lost connection it reconnects and re-reads everything it watches, since
/// notifications sent meanwhile are gone. On SQLite (one process) it has nothing to do.
/// </summary>
public sealed class PostgresLiveBridge(IVotingStore votingStore, LiveHub hub, ShowClock clock, VoteWriter writer, ShowService shows,
    IOptions<LiveOptions> options, ILogger<PostgresLiveBridge> logger) : BackgroundService
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, (long LastSent, bool Scheduled)> _notify = [];
    private readonly string _node = shows.Node;
    private CancellationToken _stopping;
    private PostgresVotingStore? _store;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (votingStore is not PostgresVotingStore store) return;
        _store = store;
        _stopping = stoppingToken;
        writer.Committed += OnCommitted;
        var resync = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await using var connection = await store.DataSource.OpenConnectionAsync(stoppingToken);
                    connection.Notification += (_, n) => OnNotification(n.Channel, n.Payload);
                    await using (var listen = new NpgsqlCommand(
                        $"LISTEN {PostgresVotingStore.ShowChannel}; LISTEN {PostgresVotingStore.ResultsChannel}", connection))
                        await listen.ExecuteNonQueryAsync(stoppingToken);
                    if (resync)
                    {
                        hub.Resync();
                        clock.Rescan();
                    }
                    while (true) await connection.WaitAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.ListenLost(logger, e);
                    resync = true;
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            writer.Committed -= OnCommitted;
        }
    }

    private void OnNotification(string channel, string payload)
    {
        var parts = payload.Split(' ', 2);
        if (!long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return;
        // This node's own changes reached its feeds and clock directly, in order.
        if (parts.Length == 2 && parts[1] == _node) return;
        var episode = new EpisodeId(id);
        if (channel == PostgresVotingStore.ShowChannel)
        {
            hub.ShowChanged(episode);
            clock.Rescan();
        }
        else hub.MarkDirty([episode]);
    }

    private void OnCommitted(IReadOnlyCollection<EpisodeId> episodes)
    {
        foreach (var episode in episodes)
        {
            long delay;
            lock (_lock)
            {
                var (last, scheduled) = _notify.GetValueOrDefault(episode.Value);
                if (scheduled) continue;
                delay = Math.Max(0, last + options.Value.NotifyIntervalMs - Environment.TickCount64);
                _notify[episode.Value] = (last, true);
            }
            _ = NotifyAsync(episode, delay);
        }
    }

    /// <summary>
    /// Sends one notification for every commit so far: taken off the schedule before it is sent,
    /// so a commit after this point schedules the next one and none is left without a notice.
    /// </summary>
    private async Task NotifyAsync(EpisodeId episode, long delayMs)
    {
        try
        {
            if (delayMs > 0) await Task.Delay(TimeSpan.FromMilliseconds(delayMs), _stopping);
            lock (_lock) _notify[episode.Value] = (Environment.TickCount64, false);
            await using var cmd = _store!.DataSource.CreateCommand($"SELECT pg_notify('{PostgresVotingStore.ResultsChannel}', $1)");
            cmd.Parameters.Add(new NpgsqlParameter { Value = $"{episode.Value} {_node}" });
            await cmd.ExecuteNonQueryAsync(_stopping);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            lock (_lock) _notify[episode.Value] = (Environment.TickCount64, false);
            Log.LiveFailed(logger, e, episode.Value);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
