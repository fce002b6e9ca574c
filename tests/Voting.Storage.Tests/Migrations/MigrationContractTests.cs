using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.Migrations;

/// <summary>The migrations that ship build the schema, once, however many nodes start together.</summary>
public abstract class MigrationContractTests(StoreKind kind) : VotingStoreContractTests(kind)
{
    protected override bool MigrateFirst => false;

    private static readonly string[] Tables =
    [
        "settings", "seasons", "contestants", "episodes", "episode_contestants", "voters", "one_time_codes", "outbox",
        "votes", "wallet_entries", "bundles", "voter_episode", "voter_daily_sms", "carrier_charges", "tallies", "hourly_tallies", "sms_messages",
        "push_tokens", "push_pending",
    ];

    [Fact]
    public async Task MigratingAnEmptyDatabaseCreatesTheWholeSchema()
    {
        await Store.MigrateAsync(Ct);

        foreach (var table in Tables) Assert.Equal(0, await Database.CountAsync($"SELECT COUNT(*) FROM {table}"));
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM schema_migrations WHERE version = 1"));
        Assert.False(await Store.AnySeasonAsync(Ct));
        await Store.PingAsync(Ct);
    }

    [Fact]
    public async Task MigratingTwiceIsANoOp()
    {
        await Store.MigrateAsync(Ct);
        var season = await Store.CreateSeasonAsync("Season 1", 2025, "active", Ct);
        var before = await Database.QueryAsync("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
        Clock.Advance(TimeSpan.FromMinutes(1));

        await Store.MigrateAsync(Ct);

        Assert.Equal(before, await Database.QueryAsync("SELECT version, name, applied_at FROM schema_migrations ORDER BY version"));
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM seasons WHERE id = $1", season));
    }

    [Fact]
    public async Task NodesMigratingTheSameDatabaseTogetherAllSucceed()
    {
        var nodes = new[] { Store, NewStore(1), NewStore(2), NewStore(3) };

        await Task.WhenAll(nodes.Select(n => n.MigrateAsync(Ct)));

        Assert.Equal(await Database.CountAsync("SELECT COUNT(*) FROM schema_migrations"),
            await Database.CountAsync("SELECT COUNT(DISTINCT version) FROM schema_migrations"));
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM schema_migrations WHERE version = 1"));
        foreach (var node in nodes) Assert.False(await node.AnySeasonAsync(Ct));
    }
}

public sealed class SqliteMigrationContractTests() : MigrationContractTests(StoreKind.Sqlite);

public sealed class PostgresMigrationContractTests() : MigrationContractTests(StoreKind.Postgres);
