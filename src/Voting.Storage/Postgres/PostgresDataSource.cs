using Npgsql;

namespace Voting.Storage.Postgres;

/// <summary>The one pool of PostgreSQL connections of a process, shared by the store and the node coordination.</summary>
public static class PostgresDataSource
{
    /// <summary>
    /// A data source for <paramref name="connectionString"/>. Unless the connection string says
    /// otherwise, statements are auto-prepared (the vote batch repeats the same few) and the pool
    /// holds at most 64 connections.
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 128;
        if (builder.MaxPoolSize == 100) builder.MaxPoolSize = 64;
        return NpgsqlDataSource.Create(builder);
    }
}
