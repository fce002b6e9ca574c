using Npgsql;

namespace Voting.Storage.Postgres;

/// <summary>The PostgreSQL connection pools of a process: the store's, and the node coordination's.</summary>
public static class PostgresDataSource
{
    /// <summary>
    /// The store's pool for <paramref name="connectionString"/>. Unless the connection string says
    /// otherwise, statements are auto-prepared (the vote batch repeats the same few) and the pool
    /// holds at most 64 connections. A connection given back is never reset: the store's
    /// transactions leave no session state behind (no SET, LISTEN, temporary tables or session
    /// locks; their advisory locks are transaction-scoped), so the reset would be seven statements
    /// of nothing at the start of every vote batch.
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 128;
        if (builder.MaxPoolSize == 100) builder.MaxPoolSize = 64;
        builder.NoResetOnClose = true;
        return NpgsqlDataSource.Create(builder);
    }

    /// <summary>
    /// A small pool for connections that hold session state (<see cref="PostgresNodeCoordination"/>'s
    /// LISTEN and clock lock): a connection given back is reset, so that state never reaches
    /// another user of a pooled connection.
    /// </summary>
    public static NpgsqlDataSource CreateForSessions(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = false, MinPoolSize = 0, MaxPoolSize = 8 };
        return NpgsqlDataSource.Create(builder);
    }
}
