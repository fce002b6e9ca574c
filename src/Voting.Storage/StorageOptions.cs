namespace Voting.Storage;

/// <summary>Which store backs the service, and how to reach it.</summary>
public sealed class StorageOptions
{
    /// <summary>"sqlite" (embedded default) or "postgres". Never guessed.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>A Microsoft.Data.Sqlite or Npgsql connection string.</summary>
    public string ConnectionString { get; set; } = "Data Source=data/voting.db";

    /// <summary>
    /// The tally shards this process writes to: <c>TallyShard × 64</c> and up (<see cref="TallyLanes"/>).
    /// Several nodes on one PostgreSQL each write their own rows, so no two nodes contend on a hot
    /// tally row; readers sum the shards.
    /// </summary>
    public int TallyShard { get; set; }

    /// <summary>
    /// How many of this process's vote batches in flight (<c>VoteWriter:MaxConcurrentBatches</c>,
    /// PostgreSQL) may each write a tally shard of their own, <c>TallyShard × 64 + lane</c>, instead
    /// of queueing behind each other's commits at the tally rows (1 to 64; 1, the default: one
    /// shard per process). Measured on the 2-core test machine, where wrk, the servers and
    /// PostgreSQL share the cores, those waits batch votes and more lanes did not pay: one node
    /// 0.92 with one lane against four (inside the spread), three nodes 1.16 (BENCHMARKS.md,
    /// "Where PostgreSQL's backends spend a vote"). For PostgreSQL on cores of its own, measure
    /// with 4 (<c>vote-bench.sh --pg-statements</c> shows the waits at the tallies).
    /// </summary>
    public int TallyLanes { get; set; } = 1;

    /// <summary>This node's name in show transitions and cross-node notifications (host:process by default).</summary>
    public string NodeName { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>
    /// SQLite: copy the WAL into the database file on a background connection (true, the
    /// default), or on the committing connection every 1,000 WAL pages, SQLite's default (false).
    /// Measured with voters at random (BENCHMARKS.md, "What limits each store"): in the background
    /// the checkpoint's page writes leave the vote writer's turn, about a quarter more votes/s
    /// with a lower p99 at saturation, and a p99 a few milliseconds higher at half load; with
    /// the benchmark's neighbouring voters it was 2-12 % faster for twice the p99 in one session
    /// ("SQLite writer") and 6 % slower in another. Durability is the same either way.
    /// </summary>
    public bool SqliteBackgroundCheckpoint { get; set; } = true;

    /// <summary>Price of one carrier-billed vote, in cents, per carrier name (lower case).</summary>
    public IDictionary<string, long> SmsPriceCents { get; } = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Default price of a carrier-billed vote in cents (0.25 USD).</summary>
    public long DefaultSmsPriceCents { get; set; } = 25;

    /// <summary>Currency of carrier billing.</summary>
    public string SmsCurrency { get; set; } = "USD";

    /// <summary>The price in cents of one SMS vote on a carrier.</summary>
    public long SmsPriceFor(string carrier) =>
        SmsPriceCents.TryGetValue(carrier, out var cents) ? cents : DefaultSmsPriceCents;
}
