using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Admin;

/// <summary>Operator endpoints: voting windows, eliminations, credits and bundles.</summary>
public abstract class AdminWindowAndWalletTests(StoreKind kind)
{
    private const string Admin = "/api/v1/admin";
    private const string CurrentEpisode = "/api/v1/xfactor/voting/current_episode";

    [Fact]
    public async Task OpeningVotingAnswersAWindowDurationSecondsLongStartingNow()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var episode = await api.CreateEpisodeAsync();

        var open = await api.PostAsync($"{Admin}/episodes/{episode.EpisodeId}/voting/open", new { duration_seconds = 1234 }, admin: true);

        Assert.Equal(200, open.Code);
        var start = open.Data.GetProperty("voting_start").GetDateTimeOffset();
        var end = open.Data.GetProperty("voting_end").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromSeconds(1234), end - start);
        Assert.InRange(start, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        var current = await api.GetAsync(CurrentEpisode);
        Assert.Equal(episode.EpisodeId, current.Data.GetProperty("episode").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task OpeningASecondEpisodeWhileOneIsOpenIsAConflictAndTheFirstStaysOpen()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var first = await api.OpenEpisodeAsync();
        var second = await api.CreateEpisodeAsync(episodeNumber: 2, seasonId: first.SeasonId);

        var refused = await api.PostAsync($"{Admin}/episodes/{second.EpisodeId}/voting/open", new { duration_seconds = 600 }, admin: true);

        ApiAssert.Error(refused, 409, "VOTING_ALREADY_OPEN");
        var current = await api.GetAsync(CurrentEpisode);
        Assert.Equal(first.EpisodeId, current.Data.GetProperty("episode").GetProperty("id").GetInt64());
        Assert.False((await api.ResultsAsync(second.EpisodeId)).GetProperty("episode").GetProperty("voting_active").GetBoolean());
        var voter = await api.SignInAsync();
        ApiAssert.Error(await api.VoteAsync(voter.Token, second.Contestants[0], episode: second.EpisodeId), 422, "VOTING_CLOSED");
    }

    [Fact]
    public async Task AfterTheOperatorClosesVotingVotesAreVotingClosedAndTheLedgerKeepsWhatCameBefore()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var episode = await api.OpenEpisodeAsync();
        var voter = await api.SignInAsync();
        Assert.Equal(200, (await api.VoteAsync(voter.Token, episode.Contestants[0])).Code);

        var close = await api.PostAsync($"{Admin}/episodes/{episode.EpisodeId}/voting/close", new { }, admin: true);

        Assert.Equal(200, close.Code);
        Assert.True(close.Data.GetProperty("voting_end").GetDateTimeOffset() <= DateTimeOffset.UtcNow.AddSeconds(1));
        var before = await api.SnapshotAsync(episode.EpisodeId, voter.Token);
        ApiAssert.Error(await api.VoteAsync(voter.Token, episode.Contestants[1], episode: episode.EpisodeId), 422, "VOTING_CLOSED");
        ApiAssert.Error(await api.VoteAsync(voter.Token, episode.Contestants[1]), 422, "VOTING_CLOSED");
        Assert.Equal(before, await api.SnapshotAsync(episode.EpisodeId, voter.Token));
        Assert.Equal(1, before.LedgerVotes);
        ApiAssert.Error(await api.GetAsync(CurrentEpisode), 404, "NO_ACTIVE_EPISODE");
        Assert.False((await api.ResultsAsync(episode.EpisodeId)).GetProperty("episode").GetProperty("voting_active").GetBoolean());
    }

    [Fact]
    public async Task EliminatingAnUnknownContestantIsNotFound()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        await api.OpenEpisodeAsync();

        ApiAssert.Error(await api.PostAsync($"{Admin}/contestants/999999/eliminate", new { }, admin: true), 404, "CONTESTANT_NOT_FOUND");

        var contestants = (await api.GetAsync(CurrentEpisode)).Data.GetProperty("contestants");
        Assert.All(contestants.EnumerateArray(), c => Assert.Equal("active", c.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task EliminatingAContestantShowsInTheLineUp()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var episode = await api.OpenEpisodeAsync();

        Assert.Equal(200, (await api.PostAsync($"{Admin}/contestants/{episode.Contestants[2]}/eliminate", new { }, admin: true)).Code);

        var contestants = (await api.GetAsync(CurrentEpisode)).Data.GetProperty("contestants").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetInt64(), c => c.GetProperty("status").GetString());
        Assert.Equal("eliminated", contestants[episode.Contestants[2]]);
        Assert.Equal("active", contestants[episode.Contestants[0]]);
    }

    [Theory]
    [InlineData("vote_credits", "{\"amount\":20,\"reason\":\"x\"}")]
    [InlineData("bundles", "{\"votes\":50}")]
    public async Task CreditsOrABundleForAnUnknownUserAreUserNotFoundAndCreateNothing(string action, string body)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var voter = await api.SignInAsync();
        var before = await AdminTests.CatalogCountsAsync(server);

        var answer = await api.SendAsync(HttpMethod.Post, $"{Admin}/users/{voter.UserId + 1000}/{action}", body, admin: true);

        ApiAssert.Error(answer, 404, "USER_NOT_FOUND");
        Assert.Equal(before, await AdminTests.CatalogCountsAsync(server));
    }

    [Fact]
    public async Task CreditsAnswerTheNewBalanceWhichTheVoterSees()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var voter = await api.SignInAsync();
        var path = $"{Admin}/users/{voter.UserId}/vote_credits";

        var first = await api.PostAsync(path, new { amount = 20, reason = "support" }, admin: true);
        var second = await api.PostAsync(path, new { amount = 5, reason = "support" }, admin: true);

        Assert.Equal(200, first.Code);
        Assert.Equal(20, first.Data.GetProperty("balance").GetInt64());
        Assert.Equal(25, second.Data.GetProperty("balance").GetInt64());
        Assert.Equal(25, (await api.BalanceAsync(voter.Token)).GetProperty("balance").GetInt64());
    }

    [Fact]
    public async Task ABundleAnswersItsIdAndRemainingVotesAndPaysForBundleVotes()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var episode = await api.OpenEpisodeAsync();
        var voter = await api.SignInAsync();

        var bundle = await api.PostAsync($"{Admin}/users/{voter.UserId}/bundles", new { votes = 50 }, admin: true);

        Assert.Equal(200, bundle.Code);
        Assert.True(bundle.Data.GetProperty("bundle_id").GetInt64() > 0);
        Assert.Equal(50, bundle.Data.GetProperty("remaining_votes").GetInt64());
        Assert.Equal(200, (await api.VoteAsync(voter.Token, episode.Contestants[0], "bundle", 20)).Code);
        Assert.Equal(30, (await api.BalanceAsync(voter.Token)).GetProperty("bundle_votes").GetInt64());
        Assert.Equal(20, (await api.AuditAsync(episode.EpisodeId)).GetProperty("ledger_votes").GetInt64());
    }
}

public sealed class SqliteAdminWindowAndWalletTests() : AdminWindowAndWalletTests(StoreKind.Sqlite);

public sealed class PostgresAdminWindowAndWalletTests() : AdminWindowAndWalletTests(StoreKind.Postgres);
