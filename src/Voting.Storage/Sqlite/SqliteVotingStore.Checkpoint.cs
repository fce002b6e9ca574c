using Microsoft.Data.Sqlite;

namespace Voting.Storage.Sqlite;

public sealed partial class SqliteVotingStore
{
    // WAL frames (pages) after which a connection's own commit checkpoints: SQLite's autocheckpoint,
    // kept only as the bound should the background checkpointer stop (default 1,000 would run a
    // checkpoint on the vote writer's commit every batch or two: 6 % of the server's CPU, measured).
    internal const int AutoCheckpointFrames = 65_536;

    // WAL frames after which the checkpointer finishes its work inside the writers' turn, so that
    // the next write starts the WAL from its beginning again; below it, the WAL just grows.
    internal const int RestartFrames = 8_192;

    // Least time between two background checkpoints: each ends with an fsync of the database file.
    private static readonly TimeSpan CheckpointSpacing = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Copies the WAL into the database file on its own connection, off the vote writer's path:
    /// a PASSIVE checkpoint (it takes no lock a writer needs) after writes, at most every 100 ms;
    /// once the WAL holds <see cref="RestartFrames"/> frames, one more PASSIVE checkpoint inside the
    /// writers' turn copies what the writers added meanwhile (little), so the next transaction
    /// restarts the WAL. Durability is unchanged: a commit is acknowledged after its WAL frames are
    /// synced (synchronous=FULL); a checkpoint only moves committed pages into the database file.
    /// </summary>
    private sealed class WalCheckpointer : IAsyncDisposable
    {
        private readonly SqliteVotingStore _store;
        private readonly SemaphoreSlim _written = new(0, 1);
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public WalCheckpointer(SqliteVotingStore store)
        {
            _store = store;
            _loop = Task.Run(RunAsync);
        }

        /// <summary>A write committed: a checkpoint is due.</summary>
        public void Wrote()
        {
            if (_written.CurrentCount == 0)
            {
                try { _written.Release(); } catch (SemaphoreFullException) { }
            }
        }

        private async Task RunAsync()
        {
            SqliteConnection? connection = null;
            var ct = _stop.Token;
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    await _written.WaitAsync(ct);
                    await Task.Delay(CheckpointSpacing, ct);
                    try
                    {
                        connection ??= (SqliteConnection)await _store.OpenAsync(ct);
                        var frames = Checkpoint(connection);
                        if (frames >= RestartFrames)
                        {
                            using var turn = await _store.WriterTurnAsync(ct);
                            Checkpoint(connection);
                        }
                    }
                    catch (Exception error) when (error is SqliteException or InvalidOperationException)
                    {
                        // The connections' own autocheckpoint bounds the WAL meanwhile; start afresh.
                        connection?.Dispose();
                        connection = null;
                    }
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
            }
            finally
            {
                connection?.Dispose();
            }
        }

        // PRAGMA wal_checkpoint answers (busy, frames in the WAL, frames checkpointed).
        private static long Checkpoint(SqliteConnection connection)
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
            using var reader = cmd.ExecuteReader();
            return reader.Read() ? reader.GetInt64(1) : 0;
        }

        private int _disposed;

        // The store may be disposed more than once (the host disposes each registration).
        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            await _stop.CancelAsync();
            await _loop;
            _stop.Dispose();
            _written.Dispose();
        }
    }
}
