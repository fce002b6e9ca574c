using Microsoft.Data.Sqlite;
using Voting.Domain;
using Voting.Domain.Voting;
using Voting.Storage.Sqlite;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.Sqlite;

/// <summary>
/// With Storage:SqliteBackgroundCheckpoint (the default), SQLite's WAL is checkpointed in the
/// background, not on the vote writer's commit: committed votes reach the database file itself
/// while the store runs, with no connection closing and far below the connections' own
/// autocheckpoint threshold.
/// </summary>
public sealed class WalCheckpointTests() : WalRestartTests(background: true)
{
    [Fact]
    public async Task CommittedVotesReachTheDatabaseFileWhileTheStoreRuns()
    {
        var show = await OpenShowAsync();
        var voters = new List<VoterId>();
        for (var i = 0; i < 20; i++) voters.Add(await SignInWithPaidVotesAsync(100));
        var committed = 0;
        for (var b = 0; b < 10; b++)
        {
            var outcomes = await CommitAsync([.. voters.Select((v, i) => Vote(v, show.Contestants[i % show.Contestants.Length], VoteType.Paid))]);
            committed += outcomes.Count(o => o is VoteAccepted);
        }
        Assert.Equal(200, committed);

        // Only the database file, without its WAL: a copy taken mid-checkpoint may be torn or
        // behind, so look again until it holds every vote (a checkpoint is due 100 ms after a write).
        var path = new SqliteConnectionStringBuilder(Database.ConnectionString).DataSource;
        var folder = Directory.CreateTempSubdirectory("xfactor-wal-");
        try
        {
            long inFile = -1;
            for (var attempt = 0; attempt < 100 && inFile != committed; attempt++)
            {
                await Task.Delay(100, Ct);
                inFile = VotesInFileAlone(path, Path.Combine(folder.FullName, $"copy{attempt}.db"));
            }
            Assert.Equal(committed, inFile);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AStoreDisposedTwiceStopsItsCheckpointerOnce()
    {
        var options = Database.Options();
        Configure(options);
        var store = StoreFactory.Create(options, Clock);
        await store.DisposeAsync();
        await store.DisposeAsync();
    }

    private static long VotesInFileAlone(string database, string copy)
    {
        File.Copy(database, copy);
        try
        {
            using var c = new SqliteConnection($"Data Source={copy};Pooling=False");
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM votes";
            return Convert.ToInt64(cmd.ExecuteScalar());
        }
        catch (SqliteException)
        {
            return -1; // torn or not there yet
        }
    }
}

/// <summary>The same WAL with SQLite's own checkpoint on the writer's commit (the setting off).</summary>
public sealed class WriterCheckpointTests() : WalRestartTests(background: false);

/// <summary>
/// Whichever way the WAL is checkpointed, its file does not grow without bound: once every frame
/// has been copied back into the database (the background checkpointer's passes, or SQLite's own
/// checkpoint on the writer's commit past 1,000 frames), the next write starts it over.
/// </summary>
public abstract class WalRestartTests(bool background) : VotingStoreContractTests(StoreKind.Sqlite)
{
    protected override void Configure(StorageOptions options) => options.SqliteBackgroundCheckpoint = background;

    [Fact]
    public async Task TheWalStartsOverOnceItHoldsMoreThanTheRestartFrames()
    {
        var show = await OpenShowAsync();
        var voter = await SignInWithPaidVotesAsync(100);
        var path = new SqliteConnectionStringBuilder(Database.ConnectionString).DataSource;
        var wal = new FileInfo(path + "-wal");
        try
        {
            // A writer of its own that never checkpoints: only the store (its background
            // checkpointer, or its writer's own checkpoint) copies the WAL back, so only it can
            // let the WAL start over from its beginning.
            using var raw = new SqliteConnection($"Data Source={path};Pooling=False");
            raw.Open();
            Execute(raw, "PRAGMA wal_autocheckpoint = 0; CREATE TABLE filler (b BLOB)");
            Fill(raw, SqliteVotingStore.RestartFrames + 1_000);
            wal.Refresh();
            Assert.True(wal.Length > (long)SqliteVotingStore.RestartFrames * 4_120, $"WAL of {wal.Length} bytes");

            // Each vote is a store write (in the background, it tells the checkpointer there is
            // work); once every frame has been copied back, the next write starts the WAL over:
            // more pages no longer make the file longer.
            var restarted = false;
            for (var attempt = 0; attempt < 50 && !restarted; attempt++)
            {
                Assert.IsType<VoteAccepted>((await CommitAsync([Vote(voter, show.Contestants[0], VoteType.Paid)]))[0]);
                await Task.Delay(300, Ct);
                wal.Refresh();
                var before = wal.Length;
                Fill(raw, 100);
                wal.Refresh();
                restarted = wal.Length == before;
            }
            Assert.True(restarted, "the WAL kept growing: nothing let it start over");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    // About one page (one WAL frame) a row: 3,000 random bytes each, in one transaction.
    private static void Fill(SqliteConnection connection, int pages) => Execute(connection,
        $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {pages}) INSERT INTO filler SELECT randomblob(3000) FROM n");
}
