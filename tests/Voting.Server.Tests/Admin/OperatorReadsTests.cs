using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Admin;

/// <summary>The console's reads (seasons, episodes, an episode's line-up and show, contestants) and contestant corrections.</summary>
public abstract class OperatorReadsTests(StoreKind kind)
{
    private const string Admin = "/api/v1/admin";

    [Fact]
    public async Task SeasonsEpisodesAndContestantsAreListedAsCreated()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var old = await api.CreateAsync($"{Admin}/seasons", new { name = "Season 1", year = 2025, status = "finished" });
        var first = await api.CreateEpisodeAsync(contestants: 2);
        var second = await api.CreateEpisodeAsync(contestants: 1, episodeNumber: 2, seasonId: first.SeasonId);
        var elsewhere = await api.CreateAsync($"{Admin}/episodes", new { season_id = old, episode_number = 1, title = "Finale 2025" });

        var seasons = (await api.GetAsync($"{Admin}/seasons", admin: true)).Data.GetProperty("seasons").EnumerateArray().ToList();
        Assert.Equal([first.SeasonId, old], seasons.Select(s => s.GetProperty("id").GetInt64()));
        Assert.Equal("finished", seasons[1].GetProperty("status").GetString());
        Assert.Equal(2025, seasons[1].GetProperty("year").GetInt32());

        var all = (await api.GetAsync($"{Admin}/episodes", admin: true)).Data.GetProperty("episodes").EnumerateArray().ToList();
        Assert.Equal(new[] { first.EpisodeId, second.EpisodeId, elsewhere }.Order(), all.Select(e => e.GetProperty("id").GetInt64()).Order());
        var ofSeason = (await api.GetAsync($"{Admin}/episodes?season_id={first.SeasonId}", admin: true)).Data.GetProperty("episodes").EnumerateArray().ToList();
        Assert.Equal([first.EpisodeId, second.EpisodeId], ofSeason.Select(e => e.GetProperty("id").GetInt64()));
        Assert.Equal([1, 2], ofSeason.Select(e => e.GetProperty("episode_number").GetInt32()));
        Assert.All(ofSeason, e => Assert.Equal("idle", e.GetProperty("voting_state").GetString()));
        Assert.Empty((await api.GetAsync($"{Admin}/episodes?season_id=987654", admin: true)).Data.GetProperty("episodes").EnumerateArray());

        var contestants = (await api.GetAsync($"{Admin}/contestants", admin: true)).Data.GetProperty("contestants").EnumerateArray().ToList();
        Assert.Equal(first.Contestants.Concat(second.Contestants), contestants.Select(c => c.GetProperty("id").GetInt64()));
        Assert.Equal("បេក្ខជន 1", contestants[0].GetProperty("khmer_name").GetString());
        Assert.Equal("active", contestants[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnEpisodeComesWithItsLineupAndTheShowAsTheLiveChannelsSeeIt()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var e = await api.CreateEpisodeAsync(contestants: 3);
        Assert.Equal(200, (await api.PostAsync($"{Admin}/contestants/{e.Contestants[2]}/eliminate", new { }, admin: true)).Code);
        var song = await api.CreateAsync($"{Admin}/contestants", new { name = "Singer" });
        Assert.Equal(201, (await api.PostAsync($"{Admin}/episodes/{e.EpisodeId}/contestants",
            new { contestant_id = song, performance_order = 7, song_performed = "Champa Battambang" }, admin: true)).Code);
        await api.OpenAsync(e.EpisodeId, 600);

        var detail = (await api.GetAsync($"{Admin}/episodes/{e.EpisodeId}", admin: true)).Data;

        var episode = detail.GetProperty("episode");
        Assert.Equal(e.EpisodeId, episode.GetProperty("id").GetInt64());
        Assert.Equal(e.SeasonId, episode.GetProperty("season_id").GetInt64());
        Assert.Equal("open", episode.GetProperty("voting_state").GetString());
        var lineup = detail.GetProperty("lineup").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3, 7], lineup.Select(c => c.GetProperty("ballot_number").GetInt32()));
        Assert.Equal(e.Contestants.Append(song), lineup.Select(c => c.GetProperty("contestant_id").GetInt64()));
        Assert.Equal("Contestant 1", lineup[0].GetProperty("name").GetString());
        Assert.Equal("eliminated", lineup[2].GetProperty("status").GetString());
        Assert.Equal("Champa Battambang", lineup[3].GetProperty("song_performed").GetString());
        Assert.Equal(JsonValueKind.Null, lineup[0].GetProperty("song_performed").ValueKind);
        var show = (await api.GetAsync($"/api/v1/xfactor/show/{e.EpisodeId}")).Data;
        Assert.Equal(show.GetProperty("state").GetString(), detail.GetProperty("show").GetProperty("state").GetString());
        Assert.Equal("VOTING_OPEN", detail.GetProperty("show").GetProperty("state").GetString());
        Assert.Equal(show.GetProperty("voting").GetProperty("closes_at").GetString(), detail.GetProperty("show").GetProperty("voting").GetProperty("closes_at").GetString());
        Assert.Equal(e.EpisodeId, detail.GetProperty("show").GetProperty("episode").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task UnknownEpisodesAndBadFiltersAreRefusedAndEveryReadNeedsTheKey()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var e = await api.CreateEpisodeAsync(contestants: 1);

        ApiAssert.Error(await api.GetAsync($"{Admin}/episodes/987654", admin: true), 404, "EPISODE_NOT_FOUND");
        ApiAssert.Error(await api.GetAsync($"{Admin}/episodes/abc", admin: true), 404, "EPISODE_NOT_FOUND");
        ApiAssert.Error(await api.GetAsync($"{Admin}/episodes?season_id=abc", admin: true), 400, "INVALID_REQUEST");
        ApiAssert.Error(await api.GetAsync($"{Admin}/episodes?season_id=0", admin: true), 400, "INVALID_REQUEST");
        foreach (var path in new[] { "seasons", "episodes", $"episodes/{e.EpisodeId}", "contestants" })
            ApiAssert.Error(await api.GetAsync($"{Admin}/{path}"), 401, "UNAUTHORIZED");
        ApiAssert.Error(await api.SendAsync(HttpMethod.Patch, $"{Admin}/contestants/{e.Contestants[0]}", """{"name":"X"}"""), 401, "UNAUTHORIZED");
        Assert.Equal("Contestant 1", (await ContestantAsync(api, e.Contestants[0])).GetProperty("name").GetString());
    }

    [Fact]
    public async Task PatchingAContestantChangesOnlyTheFieldsSentAndNullClearsOne()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var id = await api.CreateAsync($"{Admin}/contestants",
            new { name = "Sokha", khmer_name = "សុខា", hometown = "Siem Reap", age = 22, bio = "Sings", photo_url = "https://example.com/s.jpg" });
        var other = await api.CreateAsync($"{Admin}/contestants", new { name = "Dara" });

        var patched = await api.SendAsync(HttpMethod.Patch, $"{Admin}/contestants/{id}",
            """{ "name": "  Sokha Chan ", "age": 23, "bio": null, "unknown_field": 1 }""", admin: true);

        Assert.Equal(200, patched.Code);
        Assert.Equal("Sokha Chan", patched.Data.GetProperty("name").GetString());
        Assert.Equal(23, patched.Data.GetProperty("age").GetInt32());
        Assert.Equal(JsonValueKind.Null, patched.Data.GetProperty("bio").ValueKind);
        var now = await ContestantAsync(api, id);
        Assert.Equal(patched.Data.GetRawText(), now.GetRawText());
        Assert.Equal("សុខា", now.GetProperty("khmer_name").GetString());
        Assert.Equal("Siem Reap", now.GetProperty("hometown").GetString());
        Assert.Equal("https://example.com/s.jpg", now.GetProperty("photo_url").GetString());
        Assert.Equal("Dara", (await ContestantAsync(api, other)).GetProperty("name").GetString());

        var khmer = await api.SendAsync(HttpMethod.Patch, $"{Admin}/contestants/{other}", """{ "khmer_name": "ដារា", "photo_url": "https://example.com/d.jpg" }""", admin: true);
        Assert.Equal("ដារា", khmer.Data.GetProperty("khmer_name").GetString());
        Assert.Equal("Dara", khmer.Data.GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("""{ "name": "" }""", 400, "INVALID_REQUEST")]
    [InlineData("""{ "name": "   " }""", 400, "INVALID_REQUEST")]
    [InlineData("""{ "name": null }""", 400, "INVALID_REQUEST")]
    [InlineData("""{ "name": 5 }""", 400, "INVALID_REQUEST")]
    [InlineData("""{ "age": "22" }""", 400, "INVALID_REQUEST")]
    [InlineData("""{ "age": 22.5 }""", 400, "INVALID_REQUEST")]
    [InlineData("""{ "age": 151 }""", 400, "INVALID_REQUEST")]
    [InlineData("""{ "age": -1 }""", 400, "INVALID_REQUEST")]
    [InlineData("""{ "bio": ["a"] }""", 400, "INVALID_REQUEST")]
    [InlineData("""{ "hometown": "\ud800x" }""", 400, "INVALID_REQUEST")]
    [InlineData("""{ "khmer_name": "a\u0000b" }""", 400, "INVALID_REQUEST")]
    [InlineData("""{ "nickname": "Soky" }""", 400, "INVALID_REQUEST")]
    [InlineData("""{}""", 400, "INVALID_REQUEST")]
    [InlineData("""[1]""", 400, "INVALID_REQUEST")]
    [InlineData("""{ "name": "X" """, 400, "INVALID_REQUEST")]
    [InlineData("", 400, "INVALID_REQUEST")]
    public async Task ABadPatchIsRefusedAndChangesNothing(string body, int status, string code)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var id = await api.CreateAsync($"{Admin}/contestants", new { name = "Sokha", hometown = "Kampot", age = 22, bio = "Sings" });
        var before = (await ContestantAsync(api, id)).GetRawText();

        ApiAssert.Error(await api.SendAsync(HttpMethod.Patch, $"{Admin}/contestants/{id}", body, admin: true), status, code);

        Assert.Equal(before, (await ContestantAsync(api, id)).GetRawText());
    }

    [Fact]
    public async Task PatchingAnUnknownContestantIs404()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        ApiAssert.Error(await server.Api.SendAsync(HttpMethod.Patch, $"{Admin}/contestants/987654", """{ "name": "X" }""", admin: true), 404, "CONTESTANT_NOT_FOUND");
        ApiAssert.Error(await server.Api.SendAsync(HttpMethod.Patch, $"{Admin}/contestants/x1", """{ "name": "X" }""", admin: true), 404, "CONTESTANT_NOT_FOUND");
        Assert.Equal(0, await server.Database.CountRowsAsync("contestants"));
    }

    private static async Task<JsonElement> ContestantAsync(ApiDriver api, long id) =>
        (await api.GetAsync($"{Admin}/contestants", admin: true)).Data.GetProperty("contestants").EnumerateArray().Single(c => c.GetProperty("id").GetInt64() == id);
}

public sealed class SqliteOperatorReadsTests() : OperatorReadsTests(StoreKind.Sqlite);

public sealed class PostgresOperatorReadsTests() : OperatorReadsTests(StoreKind.Postgres);
