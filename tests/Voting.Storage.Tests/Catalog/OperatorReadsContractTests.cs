using Voting.Domain;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.Catalog;

/// <summary>The operator console's reads of the catalog, contestant corrections, and the outbox counts of the metrics.</summary>
public abstract class OperatorReadsContractTests(StoreKind kind) : VotingStoreContractTests(kind)
{
    [Fact]
    public async Task SeasonsComeNewestFirstAndEpisodesBySeasonAndNumber()
    {
        var older = await Store.CreateSeasonAsync("Season 0", 2024, "finished", Ct);
        var show = await CreateShowAsync(contestants: 2);
        var (third, _) = await CreateEpisodeAsync(show.Season, 3, 1);
        var (second, _) = await CreateEpisodeAsync(show.Season, 2, 1);
        var (past, _) = await CreateEpisodeAsync(older, 1, 1);

        var seasons = await Store.ListSeasonsAsync(Ct);
        Assert.Equal([show.Season, older], seasons.Select(s => s.Id));
        Assert.Equal(new SeasonRecord(older, "Season 0", 2024, "finished", ShowNight), seasons[1]);
        Assert.Equal([show.Episode, second, third], (await Store.ListEpisodesAsync(show.Season, Ct)).Select(e => e.Id));
        Assert.Equal([past], (await Store.ListEpisodesAsync(older, Ct)).Select(e => e.Id));
        Assert.Equal(4, (await Store.ListEpisodesAsync(null, Ct)).Count);
        Assert.Empty(await Store.ListEpisodesAsync(987_654, Ct));
        var contestants = await Store.ListContestantsAsync(Ct);
        Assert.Equal(5, contestants.Count);
        Assert.Equal(contestants.Select(c => c.Id.Value).Order(), contestants.Select(c => c.Id.Value));
        Assert.Equal(new ContestantRecord(show.Contestants[1], "Singer 1.2", null, "Phnom Penh", 21, null, null, "active", null, ShowNight), contestants[1]);
    }

    [Fact]
    public async Task AContestantPatchChangesThePresentFieldsAndClearsNulls()
    {
        var id = new ContestantId(await Store.CreateContestantAsync(new NewContestant("Sokha", "សុខា", "Kampot", 22, "Sings", "https://example.com/s.jpg"), Ct));
        var other = new ContestantId(await Store.CreateContestantAsync(new NewContestant("Dara", null, null, null, null, null), Ct));

        var updated = await Store.UpdateContestantAsync(id,
            new ContestantPatch(Patched.Set("Sokha Chan"), default, Patched.Set<string?>(null), Patched.Set<int?>(23), default, default), Ct);

        var expected = new ContestantRecord(id, "Sokha Chan", "សុខា", null, 23, "Sings", "https://example.com/s.jpg", "active", null, ShowNight);
        Assert.Equal(expected, updated);
        var listed = await Store.ListContestantsAsync(Ct);
        Assert.Equal(expected, listed.Single(c => c.Id == id));
        Assert.Equal("Dara", listed.Single(c => c.Id == other).Name);
        Assert.Null(await Store.UpdateContestantAsync(new ContestantId(987_654), new ContestantPatch(Patched.Set("X"), default, default, default, default, default), Ct));
    }

    [Fact]
    public async Task TheOutboxCountsPendingRowsAndDeadLetters()
    {
        var before = await Store.CountOutboxAsync(Ct);
        await SignInAsync();
        await SignInAsync();
        Assert.Equal(before with { Pending = before.Pending + 2 }, await Store.CountOutboxAsync(Ct));

        await Database.ExecuteAsync("UPDATE outbox SET status = 'dead' WHERE id = (SELECT MAX(id) FROM outbox)");

        Assert.Equal(new OutboxCounts(before.Pending + 1, before.Dead + 1), await Store.CountOutboxAsync(Ct));
    }
}

public sealed class SqliteOperatorReadsContractTests() : OperatorReadsContractTests(StoreKind.Sqlite);

public sealed class PostgresOperatorReadsContractTests() : OperatorReadsContractTests(StoreKind.Postgres);
