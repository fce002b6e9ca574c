using Voting.Storage.Postgres;
using Voting.Storage.Sqlite;

namespace Voting.Storage;

/// <summary>
/// Creates the store named by <see cref="StorageOptions.Provider"/> outside dependency injection
/// (tests, tools); it owns what it opens. The host uses <see cref="StorageServices.AddVotingStorage"/>.
/// </summary>
public static class StoreFactory
{
    public static IVotingStore Create(StorageOptions options, TimeProvider time) => StorageProviders.Parse(options.Provider) switch
    {
        StorageProvider.Postgres => new PostgresVotingStore(options, PostgresDataSource.Create(options.ConnectionString), time, ownsDataSource: true),
        _ => new SqliteVotingStore(options, time),
    };
}
