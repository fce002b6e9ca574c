namespace Voting.Storage.Ledger;

/// <summary>The type of a column of a set-wise write (PostgreSQL sends each column as one typed array).</summary>
internal enum Col { Long, Text }

/// <summary>
/// One set-wise write of a ledger transaction: rows in key order, and the statement that writes
/// them on each store — SQLite one row at a time on a prepared statement (in-process, microseconds),
/// PostgreSQL all rows at once over <c>unnest</c> of one array per column (one statement, no round trip per row).
/// A guarded write counts the rows it changed — PostgreSQL's statement returns a row for each
/// (RETURNING), SQLite's statement has none and its changes are counted (sqlite3_changes: RETURNING
/// would buffer its one row in a temporary b-tree, about 8 µs of the single writer per statement,
/// measured) — and fewer than its rows means a guard refused: the whole transaction is rolled back.
/// </summary>
/// <param name="Name">What it writes, for errors ("wallet balance").</param>
/// <param name="Sqlite">The statement for one row; parameters $1.. are the row's columns; no RETURNING.</param>
/// <param name="Postgres">The statement for all rows; parameters $1.. are the columns as arrays; RETURNING a row per row changed when guarded.</param>
internal sealed record SetWrite(string Name, string Sqlite, string Postgres, Col[] Columns, IReadOnlyList<object?[]> Rows, bool Guarded)
{
    /// <summary>The rows' column <paramref name="i"/> as a typed array.</summary>
    public object Column(int i) => Columns[i] switch
    {
        Col.Long => Rows.Select(r => r[i] is null ? (long?)null : Convert.ToInt64(r[i], System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
        _ => Rows.Select(r => (string?)r[i]).ToArray(),
    };

    /// <summary>Refuses the transaction when a guarded write changed fewer rows than it has: a guard held a limit.</summary>
    public void Verify(int changed)
    {
        if (Guarded && changed != Rows.Count) throw new LimitGuardException($"a ledger entry would have broken the {Name} limit");
    }
}

/// <summary>A guard in a projection update failed: an invariant would have broken. The transaction is rolled back.</summary>
internal sealed class LimitGuardException(string message) : Exception(message);

/// <summary>What every row of a ledger transaction is stamped with.</summary>
/// <param name="Shard">The tally shard this node writes.</param>
/// <param name="NowMs">The transaction's time (unix ms).</param>
internal readonly record struct LedgerStamp(long Shard, long NowMs);
