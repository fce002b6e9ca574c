using Voting.Storage;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Voting.TestSupport;

/// <summary>
/// A fresh, empty database for one test: a SQLite file in a new temp folder, or a new database
/// on the PostgreSQL server named by XFACTOR_TEST_POSTGRES, dropped at the end. Also runs
/// direct SQL, so tests can read the ledger and tamper with projections behind the store.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private const string ServerVariable = "XFACTOR_TEST_POSTGRES";
    private readonly string? _folder;
    private readonly string? _pgName;
    private readonly string? _pgServer;

    private TestDatabase(StoreKind kind, string connectionString, string? folder, string? pgName, string? pgServer = null)
    {
        _pgServer = pgServer;
        Kind = kind;
        ConnectionString = connectionString;
        _folder = folder;
        _pgName = pgName;
    }

    public StoreKind Kind { get; }
    public string ConnectionString { get; }
    public string Provider => Kind == StoreKind.Sqlite ? "sqlite" : "postgres";

    /// <param name="postgresServer">A PostgreSQL server other than XFACTOR_TEST_POSTGRES's (a test's own cluster).</param>
    public static async Task<TestDatabase> CreateAsync(StoreKind kind, string? postgresServer = null)
    {
        if (kind == StoreKind.Sqlite)
        {
            var folder = Path.Combine(Path.GetTempPath(), "xfactor-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            return new TestDatabase(kind, $"Data Source={Path.Combine(folder, "voting.db")}", folder, null);
        }
        var server = postgresServer ?? ServerConnectionString();
        var name = "xf_" + Guid.NewGuid().ToString("N");
        await using (var c = new NpgsqlConnection(server))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", c);
            await cmd.ExecuteNonQueryAsync();
        }
        return new TestDatabase(kind, new NpgsqlConnectionStringBuilder(server) { Database = name, IncludeErrorDetail = true }.ToString(), null, name, server);
    }

    private static string ServerConnectionString() =>
        Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"{ServerVariable} is not set. The PostgreSQL contract tests need a server they may create databases on, e.g. " +
                $"{ServerVariable}=\"Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres\" (scripts/test.sh starts a throwaway one).");

    public StorageOptions Options(int tallyShard = 0) => new()
    {
        Provider = Kind == StoreKind.Sqlite ? "sqlite" : "postgres",
        ConnectionString = ConnectionString,
        TallyShard = tallyShard,
    };

    /// <summary>Runs a statement with positional parameters $1, $2, ...; returns the rows it changed.</summary>
    public async Task<int> ExecuteAsync(string sql, params object[] args)
    {
        await using var c = await OpenAsync();
        await using var cmd = Command(c, sql, args);
        return await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Runs a query; every row comes back as its column values, NULL as null.</summary>
    public async Task<List<object?[]>> QueryAsync(string sql, params object[] args)
    {
        await using var c = await OpenAsync();
        await using var cmd = Command(c, sql, args);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    public async Task<long> CountAsync(string sql, params object[] args) => Convert.ToInt64((await QueryAsync(sql, args))[0][0]);

    /// <summary>Rows in a table (a name from this suite, never from input).</summary>
    public Task<long> CountRowsAsync(string table) => CountAsync($"SELECT COUNT(*) FROM {table}");

    /// <summary>Ids of every vote row in the ledger.</summary>
    public async Task<HashSet<long>> VoteIdsAsync() =>
        (await QueryAsync("SELECT id FROM votes")).Select(r => Convert.ToInt64(r[0])).ToHashSet();

    private async Task<DbConnection> OpenAsync()
    {
        DbConnection c = Kind == StoreKind.Sqlite ? new SqliteConnection(ConnectionString) : new NpgsqlConnection(ConnectionString);
        await c.OpenAsync();
        return c;
    }

    private DbCommand Command(DbConnection c, string sql, object[] args)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        for (var i = 0; i < args.Length; i++)
        {
            DbParameter p = Kind == StoreKind.Sqlite ? new SqliteParameter("$" + (i + 1), args[i]) : new NpgsqlParameter { Value = args[i] };
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder is not null)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A file still open elsewhere: the temp folder is cleaned by the OS eventually.
            }
        }
        if (_pgName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var c = new NpgsqlConnection(_pgServer ?? ServerConnectionString());
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_pgName} WITH (FORCE)", c);
            await cmd.ExecuteNonQueryAsync();
        }
    }
}
