using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Admin;

/// <summary>Operator endpoints: the key, the catalog and line-ups, and what each answers when refused.</summary>
public abstract class AdminTests(StoreKind kind)
{
    private const string Admin = "/api/v1/admin";
    private static readonly string[] CatalogTables = ["seasons", "contestants", "episodes", "episode_contestants", "wallet_entries", "bundles"];

    internal static async Task<long[]> CatalogCountsAsync(VotingTestServer server)
    {
        var counts = new long[CatalogTables.Length];
        for (var i = 0; i < counts.Length; i++) counts[i] = await server.Database.CountRowsAsync(CatalogTables[i]);
        return counts;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task WithoutTheOperatorKeyEveryEndpointIsUnauthorizedAndNothingIsCreatedOrChanged(string? key)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var episode = await api.CreateEpisodeAsync();
        var spare = await api.CreateAsync($"{Admin}/contestants", new { name = "Spare" });
        var voter = await api.SignInAsync();
        var before = await CatalogCountsAsync(server);
        var headers = key is null ? null : new Dictionary<string, string> { ["X-Api-Key"] = key };
        var e = episode.EpisodeId;
        (HttpMethod Method, string Path, object? Body)[] requests =
        [
            (HttpMethod.Post, $"{Admin}/seasons", new { name = "S", year = 2026, status = "active" }),
            (HttpMethod.Post, $"{Admin}/contestants", new { name = "C" }),
            (HttpMethod.Post, $"{Admin}/episodes", new { season_id = episode.SeasonId, episode_number = 2, title = "T" }),
            (HttpMethod.Post, $"{Admin}/episodes/{e}/contestants", new { contestant_id = spare, performance_order = 4 }),
            (HttpMethod.Post, $"{Admin}/episodes/{e}/voting/open", new { duration_seconds = 600 }),
            (HttpMethod.Post, $"{Admin}/episodes/{e}/voting/close", null),
            (HttpMethod.Post, $"{Admin}/contestants/{episode.Contestants[0]}/eliminate", null),
            (HttpMethod.Post, $"{Admin}/users/{voter.UserId}/vote_credits", new { amount = 20, reason = "x" }),
            (HttpMethod.Post, $"{Admin}/users/{voter.UserId}/bundles", new { votes = 50 }),
            (HttpMethod.Get, $"{Admin}/episodes/{e}/audit", null),
        ];

        foreach (var (method, path, body) in requests)
        {
            var answer = await api.SendAsync(method, path, body is null ? null : JsonSerializer.Serialize(body), headers: headers);
            ApiAssert.Error(answer, 401, "UNAUTHORIZED");
        }

        Assert.Equal(before, await CatalogCountsAsync(server));
        ApiAssert.Error(await api.GetAsync("/api/v1/xfactor/voting/current_episode"), 404, "NO_ACTIVE_EPISODE");
        var balance = await api.BalanceAsync(voter.Token);
        Assert.Equal(0, balance.GetProperty("balance").GetInt64());
        Assert.Equal(0, balance.GetProperty("bundle_votes").GetInt64());
        await api.OpenAsync(e);
        var current = await api.GetAsync("/api/v1/xfactor/voting/current_episode");
        Assert.All(current.Data.GetProperty("contestants").EnumerateArray(), c => Assert.Equal("active", c.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task CreatingASeasonAContestantAndAnEpisodeAnswers201WithTheirIds()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;

        var season = await api.PostAsync($"{Admin}/seasons", new { name = "Season 3", year = 2026, status = "active" }, admin: true);
        var contestant = await api.PostAsync($"{Admin}/contestants",
            new { name = "Sokha", khmer_name = "សុខា", hometown = "Siem Reap", age = 22, bio = "Sings", photo_url = "https://example.com/s.jpg" }, admin: true);
        var seasonId = season.Data.GetProperty("id").GetInt64();
        var episode = await api.PostAsync($"{Admin}/episodes",
            new { season_id = seasonId, episode_number = 1, title = "Live 1", description = "First live show", air_date = "2026-03-01T12:00:00Z" }, admin: true);

        Assert.All(new[] { season, contestant, episode }, a =>
        {
            Assert.Equal(201, a.Code);
            Assert.True(a.Body.GetProperty("success").GetBoolean());
            Assert.True(a.Data.GetProperty("id").GetInt64() > 0);
        });
        Assert.Equal(new long[] { 1, 1, 1, 0, 0, 0 }, await CatalogCountsAsync(server));
    }

    [Fact]
    public async Task AddingToALineUpAnswers201WithTheEpisodeTheContestantAndTheBallotNumber()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var episode = await api.CreateEpisodeAsync(contestants: 0);
        var contestant = await api.CreateAsync($"{Admin}/contestants", new { name = "Dara" });

        var added = await api.PostAsync($"{Admin}/episodes/{episode.EpisodeId}/contestants",
            new { contestant_id = contestant, performance_order = 7, song_performed = "Song" }, admin: true);

        Assert.Equal(201, added.Code);
        Assert.Equal(episode.EpisodeId, added.Data.GetProperty("episode_id").GetInt64());
        Assert.Equal(contestant, added.Data.GetProperty("contestant_id").GetInt64());
        Assert.Equal(7, added.Data.GetProperty("ballot_number").GetInt32());
    }

    [Fact]
    public async Task ATakenBallotNumberOrARepeatedContestantIsAConflictAndTheLineUpIsUnchanged()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var episode = await api.CreateEpisodeAsync(contestants: 2);
        var newcomer = await api.CreateAsync($"{Admin}/contestants", new { name = "Newcomer" });
        var before = await CatalogCountsAsync(server);
        var path = $"{Admin}/episodes/{episode.EpisodeId}/contestants";

        var takenBallot = await api.PostAsync(path, new { contestant_id = newcomer, performance_order = 2 }, admin: true);
        var repeated = await api.PostAsync(path, new { contestant_id = episode.Contestants[0], performance_order = 3 }, admin: true);

        Assert.Equal(409, takenBallot.Code);
        Assert.False(takenBallot.Body.GetProperty("success").GetBoolean());
        Assert.NotNull(takenBallot.ErrorCode);
        Assert.Equal(409, repeated.Code);
        Assert.Equal(before, await CatalogCountsAsync(server));
        var results = await api.ResultsAsync(episode.EpisodeId);
        Assert.Equal(episode.Contestants, results.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("contestant_id").GetInt64()));
    }

    [Theory]
    [InlineData("POST", "/episodes/999999/contestants", "{\"contestant_id\":1,\"performance_order\":9}")]
    [InlineData("POST", "/episodes/999999/voting/open", "{\"duration_seconds\":600}")]
    [InlineData("POST", "/episodes/999999/voting/close", null)]
    [InlineData("GET", "/episodes/999999/audit", null)]
    [InlineData("GET", "/episodes/not-a-number/audit", null)]
    public async Task AnUnknownEpisodeIsEpisodeNotFoundAndChangesNothing(string method, string path, string? body)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        await api.CreateEpisodeAsync();
        var before = await CatalogCountsAsync(server);

        ApiAssert.Error(await api.SendAsync(new HttpMethod(method), Admin + path, body, admin: true), 404, "EPISODE_NOT_FOUND");

        Assert.Equal(before, await CatalogCountsAsync(server));
        ApiAssert.Error(await api.GetAsync("/api/v1/xfactor/voting/current_episode"), 404, "NO_ACTIVE_EPISODE");
    }

    [Theory]
    [InlineData("/seasons", "{}", "name")]
    [InlineData("/seasons", "{\"name\":\"S\"}", "year")]
    [InlineData("/seasons", "{\"name\":\"S\",\"year\":\"twenty\"}", "year")]
    [InlineData("/contestants", "{\"age\":20}", "name")]
    [InlineData("/episodes", "{\"episode_number\":2,\"title\":\"T\"}", "season_id")]
    [InlineData("/episodes", "{\"season_id\":{season},\"title\":\"T\"}", "episode_number")]
    [InlineData("/episodes", "{\"season_id\":{season},\"episode_number\":2}", "title")]
    [InlineData("/episodes/{episode}/contestants", "{\"performance_order\":9}", "contestant_id")]
    [InlineData("/episodes/{episode}/contestants", "{\"contestant_id\":{spare}}", "performance_order")]
    [InlineData("/users/{user}/vote_credits", "{\"reason\":\"x\"}", "amount")]
    [InlineData("/users/{user}/vote_credits", "{\"amount\":1.5}", "amount")]
    [InlineData("/users/{user}/vote_credits", "{\"amount\":\"20\"}", "amount")]
    [InlineData("/users/{user}/bundles", "{}", "votes")]
    public async Task AMissingOrMistypedFieldIsABadRequestNamingItAndCreatesNothing(string path, string body, string field)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var episode = await api.CreateEpisodeAsync();
        var spare = await api.CreateAsync($"{Admin}/contestants", new { name = "Spare" });
        var voter = await api.SignInAsync();
        var before = await CatalogCountsAsync(server);
        string Fill(string s) => s.Replace("{season}", $"{episode.SeasonId}", StringComparison.Ordinal)
            .Replace("{episode}", $"{episode.EpisodeId}", StringComparison.Ordinal)
            .Replace("{spare}", $"{spare}", StringComparison.Ordinal)
            .Replace("{user}", $"{voter.UserId}", StringComparison.Ordinal);

        var answer = await api.SendAsync(HttpMethod.Post, Admin + Fill(path), Fill(body), admin: true);

        ApiAssert.Error(answer, 400, "INVALID_REQUEST");
        Assert.Contains(field, ApiAssert.Message(answer), StringComparison.Ordinal);
        Assert.Equal(before, await CatalogCountsAsync(server));
    }

    [Fact]
    public async Task HealthAnswersOk()
    {
        await using var server = await VotingTestServer.StartAsync(kind);

        var health = await server.Api.GetAsync("/health");

        Assert.Equal(200, health.Code);
        Assert.Equal("""{"status":"ok"}""", health.Body.GetRawText());
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesCastVote()
    {
        await using var server = await VotingTestServer.StartAsync(kind);

        var openApi = await server.Api.GetAsync("/openapi/v1.json");

        Assert.Equal(200, openApi.Code);
        Assert.True(openApi.Body.GetProperty("paths").TryGetProperty("/api/v1/xfactor/voting/cast_vote", out _));
    }
}

public sealed class SqliteAdminTests() : AdminTests(StoreKind.Sqlite);

public sealed class PostgresAdminTests() : AdminTests(StoreKind.Postgres);
