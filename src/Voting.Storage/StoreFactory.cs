using Voting.Storage.Postgres;
using Voting.Storage.Sqlite;

namespace Voting.Storage;

/// <summary>Creates the store named by <see cref="StorageOptions.Provider"/>.</summary>
public static class StoreFactory
{
    public static IVotingStore Create(StorageOptions options, TimeProvider time) => options.Provider.ToLowerInvariant() switch
    {
        "sqlite" => new SqliteVotingStore(options, time),
        "postgres" or "postgresql" => new PostgresVotingStore(options, time),
        _ => throw new InvalidOperationException($"Storage:Provider must be 'sqlite' or 'postgres', not '{options.Provider}'"),
    };
}
