using Microsoft.Data.Sqlite;
using Npgsql;

namespace Voting.Server.Tests.Infrastructure;

public enum StoreKind { Sqlite, Postgres }

/// <summary>
/// A fresh, empty database for one test: a SQLite file in a temp folder, or a new database on
/// the PostgreSQL server named by XFACTOR_TEST_POSTGRES (scripts/test.sh starts one).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _dir;
    private readonly string? _pgName;

    private TestDatabase(StoreKind kind, string connectionString, string? dir, string? pgName)
    {
        Kind = kind;
        ConnectionString = connectionString;
        _dir = dir;
        _pgName = pgName;
    }

    public StoreKind Kind { get; }
    public string ConnectionString { get; }
    public string Provider => Kind == StoreKind.Sqlite ? "sqlite" : "postgres";

    public static async Task<TestDatabase> CreateAsync(StoreKind kind)
    {
        if (kind == StoreKind.Sqlite)
        {
            var dir = Path.Combine(Path.GetTempPath(), "xfactor-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return new TestDatabase(kind, $"Data Source={Path.Combine(dir, "voting.db")}", dir, null);
        }
        var admin = AdminConnectionString();
        var name = "xf_" + Guid.NewGuid().ToString("N")[..20];
        await using (var c = new NpgsqlConnection(admin))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            await cmd.ExecuteNonQueryAsync();
        }
        var b = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(kind, b.ToString(), null, name);
    }

    public static string AdminConnectionString() =>
        Environment.GetEnvironmentVariable("XFACTOR_TEST_POSTGRES") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                "XFACTOR_TEST_POSTGRES is not set: run the tests with scripts/test.sh, which starts a throwaway PostgreSQL server");

    /// <summary>Ids of every vote row in the ledger, read straight from the database.</summary>
    public async Task<HashSet<long>> VoteIdsAsync()
    {
        var ids = new HashSet<long>();
        if (Kind == StoreKind.Sqlite)
        {
            await using var c = new SqliteConnection(ConnectionString);
            await c.OpenAsync();
            await using var cmd = new SqliteCommand("SELECT id FROM votes", c);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) ids.Add(r.GetInt64(0));
        }
        else
        {
            await using var c = new NpgsqlConnection(ConnectionString);
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT id FROM votes", c);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) ids.Add(r.GetInt64(0));
        }
        return ids;
    }

    /// <summary>Rows in one table, read straight from the database (for "nothing was created").</summary>
    public async Task<long> CountAsync(string table)
    {
        var sql = $"SELECT COUNT(*) FROM {table}";
        if (Kind == StoreKind.Sqlite)
        {
            await using var c = new SqliteConnection(ConnectionString);
            await c.OpenAsync();
            await using var cmd = new SqliteCommand(sql, c);
            return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        await using var pg = new NpgsqlConnection(ConnectionString);
        await pg.OpenAsync();
        await using var pgCmd = new NpgsqlCommand(sql, pg);
        return Convert.ToInt64(await pgCmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (_dir is not null)
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        }
        if (_pgName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var c = new NpgsqlConnection(AdminConnectionString());
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgName} WITH (FORCE)", c);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
