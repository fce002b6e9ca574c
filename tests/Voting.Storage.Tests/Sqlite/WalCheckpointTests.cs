using Microsoft.Data.Sqlite;
using Voting.Domain;
using Voting.Domain.Voting;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.Sqlite;

/// <summary>
/// With Storage:SqliteBackgroundCheckpoint, SQLite's WAL is checkpointed in the background, not on
/// the vote writer's commit: committed votes reach the database file itself while the store runs,
/// with no connection closing and far below the connections' own autocheckpoint threshold.
/// </summary>
public sealed class WalCheckpointTests() : VotingStoreContractTests(StoreKind.Sqlite)
{
    protected override void Configure(StorageOptions options) => options.SqliteBackgroundCheckpoint = true;

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
