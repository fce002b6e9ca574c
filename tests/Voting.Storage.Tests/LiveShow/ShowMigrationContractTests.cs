using Voting.Domain;
using Voting.Domain.Show;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.LiveShow;

/// <summary>A store that ran before the live show upgrades with its windows and votes intact.</summary>
public abstract class ShowMigrationContractTests(StoreKind kind) : VotingStoreContractTests(kind)
{
    protected override bool MigrateFirst => false;

    private async Task ApplyFirstMigrationOnlyAsync()
    {
        var folder = Kind == StoreKind.Sqlite ? "Sqlite" : "Postgres";
        await using var stream = typeof(IVotingStore).Assembly.GetManifestResourceStream($"Migrations/{folder}/0001_initial.sql")!;
        using var reader = new StreamReader(stream);
        await Database.ExecuteAsync(await reader.ReadToEndAsync(Ct));
        await Database.ExecuteAsync("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
        await Database.ExecuteAsync("INSERT INTO schema_migrations VALUES (1, '0001_initial.sql', 0)");
    }

    [Fact]
    public async Task UpgradingKeepsEachWindowAsAShowStateAndCountsPastVotesPerMinute()
    {
        await ApplyFirstMigrationOnlyAsync();
        var ms = ShowNight.ToUnixTimeMilliseconds();
        await Database.ExecuteAsync($"INSERT INTO seasons (id, name, year, status, created_at) VALUES (1, 'S', 2025, 'active', {ms})");
        await Database.ExecuteAsync(
            $"""
            INSERT INTO episodes (id, season_id, episode_number, title, voting_state, voting_start, voting_end, created_at) VALUES
                (1, 1, 1, 'Closed', 'closed', {ms - 7_200_000}, {ms - 3_600_000}, {ms}),
                (2, 1, 2, 'Open', 'open', {ms}, {ms + 3_600_000}, {ms}),
                (3, 1, 3, 'Idle', 'idle', NULL, NULL, {ms})
            """);
        await Database.ExecuteAsync($"INSERT INTO contestants (id, name, created_at) VALUES (1, 'A', {ms}), (2, 'B', {ms})");
        await Database.ExecuteAsync("INSERT INTO episode_contestants (episode_id, contestant_id, ballot_number) VALUES (1, 1, 1), (1, 2, 2), (2, 1, 1)");
        await Database.ExecuteAsync($"INSERT INTO voters (id, phone, created_at) VALUES (1, '012000001', {ms})");
        await Database.ExecuteAsync(
            $"""
            INSERT INTO votes (id, voter_id, episode_id, contestant_id, vote_type, vote_count, payment_method, loyalty_points, created_at) VALUES
                (1, 1, 1, 1, 'free', 2, 'free', 4, {ms - 7_000_000}),
                (2, 1, 1, 1, 'free', 1, 'free', 2, {ms - 7_000_000 + 30_000}),
                (3, 1, 1, 2, 'free', 1, 'free', 2, {ms - 6_900_000}),
                (4, 1, 2, 1, 'free', 1, 'free', 2, {ms + 1_000})
            """);
        await Database.ExecuteAsync(
            $"""
            INSERT INTO tallies (episode_id, contestant_id, vote_type, shard, votes) VALUES (1, 1, 'free', 0, 3), (1, 2, 'free', 0, 1), (2, 1, 'free', 0, 1);
            INSERT INTO hourly_tallies (episode_id, hour, shard, votes) VALUES (1, {(ms - 7_000_000) / 3_600_000}, 0, 4), (2, {ms / 3_600_000}, 0, 1);
            INSERT INTO voter_episode (voter_id, episode_id, free_used, paid_cast, votes_cast) VALUES (1, 1, 4, 0, 4), (1, 2, 1, 0, 1)
            """);

        await Store.MigrateAsync(Ct);

        var closed = await Store.GetShowAsync(new EpisodeId(1), Ct);
        var open = await Store.GetShowAsync(new EpisodeId(2), Ct);
        var idle = await Store.GetShowAsync(new EpisodeId(3), Ct);
        Assert.Equal(new ShowStatus(ShowState.VotingClosed, VotingStart: ShowNight.AddHours(-2), VotingEnd: ShowNight.AddHours(-1),
            ClosedReason: CloseReason.Operator), closed!.Status);
        Assert.Equal(new ShowStatus(ShowState.VotingOpen, VotingStart: ShowNight, VotingEnd: ShowNight.AddHours(1)), open!.Status);
        Assert.Equal((ShowStatus.Initial, 0L), (idle!.Status, idle.Version));
        var minute = (ms - 7_000_000) / 60_000;
        var live = await Store.GetLiveTalliesAsync(new EpisodeId(1), 0, Ct);
        Assert.Equal([(1L, minute, 3L), (2L, (ms - 6_900_000) / 60_000, 1L)],
            live.Minutes.Select(m => (m.Contestant.Value, m.Minute, m.Votes)).OrderBy(m => m.Item1));
        Assert.Equal(ShowNight.AddMilliseconds(-6_900_000), live.AsOf);
        Assert.True((await Store.AuditEpisodeAsync(new EpisodeId(1), Ct)).Consistent);
        Assert.True((await Store.AuditEpisodeAsync(new EpisodeId(2), Ct)).Consistent);
    }
}

public sealed class SqliteShowMigrationContractTests() : ShowMigrationContractTests(StoreKind.Sqlite);

public sealed class PostgresShowMigrationContractTests() : ShowMigrationContractTests(StoreKind.Postgres);
