using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;

/// <summary>
/// What RETURNING costs SQLite's single writer: the same guarded UPDATE of a voter's balance
/// (the wallet projection's statement) on a prepared command, in transactions of 250 rows like a
/// vote batch, once read through RETURNING and once counted by sqlite3_changes, alternating.
///   dotnet run -c Release --project tools/Voting.Benchmarks -- sqlite-returning [rows] [rounds]
/// </summary>
internal static class SqliteReturningBench
{
    private const int Voters = 20_000;
    private const int RowsPerTransaction = 250;

    public static void Run(string[] args)
    {
        var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var dir = Directory.CreateTempSubdirectory("xfactor-returning-");
        try
        {
            using var c = new SqliteConnection($"Data Source={Path.Combine(dir.FullName, "bench.db")};Pooling=False");
            c.Open();
            Exec(c, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536;");
            Exec(c, "CREATE TABLE voters (id INTEGER PRIMARY KEY, vote_balance INTEGER NOT NULL)");
            Exec(c, $"WITH RECURSIVE s(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM s WHERE x < {Voters}) INSERT INTO voters SELECT x, 1000000000 FROM s");
            Console.WriteLine($"guarded UPDATE of one of {Voters:N0} voters, {rows:N0} rows per run in transactions of {RowsPerTransaction} (synchronous=FULL)");
            var random = new Random(1);
            for (var round = 0; round < rounds; round++)
            {
                foreach (var returning in new[] { true, false })
                {
                    var (us, changed) = Time(c, returning, rows, random);
                    Console.WriteLine($"  round {round + 1}, {(returning ? "RETURNING id  " : "changes count ")}: {us:F2} us per row (commits included), {changed:N0} rows changed");
                }
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static (double MicrosPerRow, long Changed) Time(SqliteConnection c, bool returning, int rows, Random random)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE voters SET vote_balance = vote_balance + $2 WHERE id = $1 AND vote_balance + $2 >= 0" + (returning ? " RETURNING id" : "");
        var id = cmd.Parameters.Add("$1", SqliteType.Integer);
        var delta = cmd.Parameters.Add("$2", SqliteType.Integer);
        long changed = 0;
        var clock = Stopwatch.StartNew();
        for (var done = 0; done < rows;)
        {
            using var tx = c.BeginTransaction();
            cmd.Transaction = tx;
            for (var i = 0; i < RowsPerTransaction && done < rows; i++, done++)
            {
                id.Value = random.Next(1, Voters + 1);
                delta.Value = -1L;
                if (!returning) changed += cmd.ExecuteNonQuery();
                else
                {
                    using var reader = cmd.ExecuteReader();
                    while (reader.Read()) changed++;
                }
            }
            tx.Commit();
        }
        return (clock.Elapsed.TotalMicroseconds / rows, changed);
    }

    private static void Exec(SqliteConnection c, string sql)
    {
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
