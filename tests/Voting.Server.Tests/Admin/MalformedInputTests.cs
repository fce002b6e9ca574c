using System.Net;
using System.Text;
using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Admin;

/// <summary>Input no store can hold, and concurrent creations: answered as documented, never 500, alike on both stores.</summary>
public abstract class MalformedInputTests(StoreKind kind)
{
    /// <summary>A text field (as raw JSON string contents) with a NUL, or half a surrogate pair.</summary>
    public static TheoryData<string> BadText => new() { "a\\u0000b", "a\\ud800b", "a\\udc00", "\\u0000" };

    [Theory]
    [MemberData(nameof(BadText))]
    public async Task TextNoStoreCanHoldIsRefusedNamingTheFieldAndNothingIsWritten(string bad)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var e = await server.Api.CreateEpisodeAsync(contestants: 1);
        var voter = await server.Api.SignInAsync();
        var before = await CountsAsync(server);

        var cases = new (string Path, string Json, string Field)[]
        {
            ("/api/v1/admin/seasons", $$"""{"name":"{{bad}}","year":2026,"status":"active"}""", "name"),
            ("/api/v1/admin/contestants", $$"""{"name":"Dara","khmer_name":"{{bad}}"}""", "khmer_name"),
            ("/api/v1/admin/contestants", $$"""{"name":"Dara","bio":"{{bad}}"}""", "bio"),
            ("/api/v1/admin/episodes", $$"""{"season_id":{{e.SeasonId}},"episode_number":2,"title":"{{bad}}"}""", "title"),
            ("/api/v1/admin/episodes", $$"""{"season_id":{{e.SeasonId}},"episode_number":3,"title":"Live","description":"{{bad}}"}""", "description"),
            ($"/api/v1/admin/episodes/{e.EpisodeId}/contestants", $$"""{"contestant_id":{{e.Contestants[0]}},"performance_order":2,"song_performed":"{{bad}}"}""", "song_performed"),
            ($"/api/v1/admin/users/{voter.UserId}/vote_credits", $$"""{"amount":5,"reason":"{{bad}}"}""", "reason"),
            ("/api/v1/admin/votes/void", $$"""{"episode_id":{{e.EpisodeId}},"reason":"{{bad}}","voter_id":{{voter.UserId}}}""", "reason"),
            ("/api/v1/admin/votes/void", $$"""{"episode_id":{{e.EpisodeId}},"reason":"fraud","device_id":"{{bad}}"}""", "device_id"),
            ("/api/v1/admin/vote_packages", $$"""{"name":"{{bad}}","vote_count":10,"price":0.99}""", "name"),
            ("/api/v1/admin/vote_packages", $$"""{"name":"10","vote_count":10,"price":0.99,"badge_text":"{{bad}}"}""", "badge_text"),
            ("/api/v1/admin/vote_packages", $$"""{"name":"10","vote_count":10,"price":0.99,"ios_product_id":"{{bad}}"}""", "ios_product_id"),
            ("/api/v1/admin/vote_packages", $$"""{"name":"10","vote_count":10,"price":0.99,"currency":"{{bad}}"}""", "currency"),
        };
        foreach (var (path, json, field) in cases)
        {
            var answer = await server.Api.SendAsync(HttpMethod.Post, path, json, admin: true);
            ApiAssert.Error(answer, 400, "INVALID_REQUEST");
            Assert.Contains($"'{field}'", answer.Body.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
        }
        var push = await server.Api.SendAsync(HttpMethod.Post, "/api/v1/me/push_tokens", $$"""{"platform":"fcm","token":"{{bad}}"}""", voter.Token);
        ApiAssert.Error(push, 400, "INVALID_REQUEST");
        var viewerCases = new (HttpMethod Method, string Path, string Json, string Field)[]
        {
            (HttpMethod.Post, "/api/v1/xfactor/purchases", $$"""{"platform":"android","product_id":"votes_10","purchase_token":"{{bad}}"}""", "purchase_token"),
            (HttpMethod.Post, "/api/v1/xfactor/purchases", $$"""{"platform":"ios","signed_transaction":"{{bad}}"}""", "signed_transaction"),
            (HttpMethod.Post, "/api/v1/xfactor/purchases", $$"""{"platform":"{{bad}}"}""", "platform"),
            (HttpMethod.Patch, "/api/v1/me", $$"""{"display_name":"{{bad}}"}""", "display_name"),
            (HttpMethod.Patch, "/api/v1/me", $$"""{"display_name":"Dara","province":"{{bad}}"}""", "province"),
            (HttpMethod.Patch, "/api/v1/me", $$"""{"gender":"{{bad}}"}""", "gender"),
            (HttpMethod.Patch, "/api/v1/me", $$"""{"date_of_birth":"{{bad}}"}""", "date_of_birth"),
        };
        var profile = (await server.Api.GetAsync("/api/v1/me", voter.Token)).Body.ToString();
        foreach (var (method, path, json, field) in viewerCases)
        {
            var answer = await server.Api.SendAsync(method, path, json, voter.Token);
            ApiAssert.Error(answer, 400, "INVALID_REQUEST");
            Assert.Contains($"'{field}'", answer.Body.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(profile, (await server.Api.GetAsync("/api/v1/me", voter.Token)).Body.ToString());
        Assert.Equal(0, await server.Database.CountRowsAsync("purchases"));

        Assert.Equal(before, await CountsAsync(server));
    }

    [Theory]
    [InlineData("display_name")]
    [InlineData("province")]
    [InlineData("a field name")]
    public async Task AProfileChangeWhoseBytesAreNotUtf8IsA400(string where)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var voter = await server.Api.SignInAsync();
        var json = Encoding.UTF8.GetBytes(where == "a field name" ? """{"display_@":"Dara"}""" : $$"""{"{{where}}":"Da@ra"}""");
        json[Array.IndexOf(json, (byte)'@')] = 0xff;
        using var request = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/me") { Content = new ByteArrayContent(json) { Headers = { { "Content-Type", "application/json" } } } };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", voter.Token);

        using var response = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("INVALID_REQUEST", body.GetProperty("error_code").GetString());
        if (where != "a field name") Assert.Contains($"'{where}'", body.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentPackagesWithOneProductIdGiveOneSuccessAndTheRest409()
    {
        await using var server = await VotingTestServer.StartAsync(kind);

        var created = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => server.Api.PostAsync("/api/v1/admin/vote_packages",
            new { name = $"P{i}", vote_count = 10, price = 0.99m, ios_product_id = "com.hangmeas.votes.10" }, admin: true)));
        var others = new List<long>();
        for (var i = 0; i < 8; i++) others.Add(await server.Api.CreateAsync("/api/v1/admin/vote_packages", new { name = $"Q{i}", vote_count = 10, price = 0.99m }));
        var patched = await Task.WhenAll(others.Select(id => server.Api.SendAsync(HttpMethod.Patch, $"/api/v1/admin/vote_packages/{id}",
            """{"android_product_id":"votes_10"}""", admin: true)));

        Assert.Single(created, a => a.Status == HttpStatusCode.Created);
        Assert.All(created.Where(a => a.Status != HttpStatusCode.Created), a => ApiAssert.Error(a, 409, "PRODUCT_ID_TAKEN"));
        Assert.Single(patched, a => a.Status == HttpStatusCode.OK);
        Assert.All(patched.Where(a => a.Status != HttpStatusCode.OK), a => ApiAssert.Error(a, 409, "PRODUCT_ID_TAKEN"));
        Assert.Equal(1, await server.Database.CountAsync("SELECT COUNT(*) FROM vote_packages WHERE ios_product_id = 'com.hangmeas.votes.10'"));
        Assert.Equal(1, await server.Database.CountAsync("SELECT COUNT(*) FROM vote_packages WHERE android_product_id = 'votes_10'"));
    }

    [Fact]
    public async Task KhmerAndEmojiAreStillText()
    {
        await using var server = await VotingTestServer.StartAsync(kind);

        var created = await server.Api.PostAsync("/api/v1/admin/contestants", new { name = "ចាន់ សុភា 🎤", bio = "\u00e9\U0001F600" }, admin: true);

        Assert.Equal(HttpStatusCode.Created, created.Status);
    }

    [Fact]
    public async Task ConcurrentCreationsOfOneEpisodeGiveOne201AndTheRest409()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var season = await server.Api.CreateAsync("/api/v1/admin/seasons", new { name = "S", year = 2026, status = "active" });

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            server.Api.PostAsync("/api/v1/admin/episodes", new { season_id = season, episode_number = 1, title = "Live 1" }, admin: true)));

        Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a => ApiAssert.Error(a, 409, "EPISODE_EXISTS"));
        Assert.Equal(1, await server.Database.CountRowsAsync("episodes"));
    }

    [Fact]
    public async Task ConcurrentAdditionsToOneLineupGiveOne201AndTheRest409()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var e = await server.Api.CreateEpisodeAsync(contestants: 0);
        var contestants = new List<long>();
        for (var i = 0; i < 8; i++) contestants.Add(await server.Api.CreateAsync("/api/v1/admin/contestants", new { name = $"C{i}" }));

        // One contestant under eight ballot numbers, and eight contestants under one ballot number.
        var sameContestant = Enumerable.Range(1, 8).Select(n =>
            server.Api.PostAsync($"/api/v1/admin/episodes/{e.EpisodeId}/contestants", new { contestant_id = contestants[0], performance_order = n }, admin: true));
        var sameBallot = contestants.Skip(1).Select(c =>
            server.Api.PostAsync($"/api/v1/admin/episodes/{e.EpisodeId}/contestants", new { contestant_id = c, performance_order = 20 }, admin: true));
        var answers = await Task.WhenAll(sameContestant.Concat(sameBallot));

        Assert.Equal(2, answers.Count(a => a.Status == HttpStatusCode.Created));
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.Created), a => ApiAssert.Error(a, 409, "LINEUP_CONFLICT"));
        Assert.Equal(2, await server.Database.CountRowsAsync("episode_contestants"));
    }

    [Theory]
    [InlineData("invalid UTF-8")]
    [InlineData("lone surrogate")]
    [InlineData("lone surrogate in the token")]
    public async Task ACellcardBodyThatIsNotTextIsA400BeforeAuthentication(string how)
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        await host.Api.OpenEpisodeAsync();
        var before = await host.RowsAsync();
        var token = how == "lone surrogate in the token" ? "\\ud800" : FakeCarrier.CellcardToken;
        var text = how == "lone surrogate" ? "VOTE \\udfff 1" : "VOTE @ 1";
        var json = Encoding.UTF8.GetBytes($$"""{"msisdn":"{{SmsDriver.NewPhone("cellcard")}}","short_code":"1255","text":"{{text}}","msg_id":"{{SmsDriver.NewMessageId()}}","received_at":1718366400,"api_token":"{{token}}"}""");
        if (how == "invalid UTF-8") json[Array.IndexOf(json, (byte)'@')] = 0xff;

        using var response = await host.Server.Client.PostAsync("/webhooks/sms/cellcard", new ByteArrayContent(json) { Headers = { { "Content-Type", "application/json" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("success").GetBoolean());
        Assert.Equal(before, await host.RowsAsync());
    }

    [Theory]
    [InlineData("smart")]
    [InlineData("cellcard")]
    [InlineData("metfone")]
    public async Task ATextWithANulIsA400NamingTheFieldInTheCarriersFormat(string carrier)
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        await host.Api.OpenEpisodeAsync();
        var before = await host.RowsAsync();
        var fields = SmsDriver.Fields(carrier, SmsDriver.NewPhone(carrier), "VOTE\u0000 1", SmsDriver.NewMessageId(), 1_718_366_400);

        var answer = await host.Sms.PostAsync(carrier, JsonSerializer.Serialize(fields));

        Assert.Equal(400, answer.Code);
        Assert.True(answer.IsCarriersNo, answer.Body);
        var textField = carrier switch { "smart" => "message", "cellcard" => "text", _ => "content" };
        Assert.Contains(textField, answer.Body, StringComparison.Ordinal);
        Assert.Equal(before, await host.RowsAsync());
    }

    private static async Task<(long, long, long, long, long)> CountsAsync(VotingTestServer server) =>
        (await server.Database.CountRowsAsync("seasons"), await server.Database.CountRowsAsync("contestants"),
            await server.Database.CountRowsAsync("episodes") + await server.Database.CountRowsAsync("episode_contestants"),
            await server.Database.CountRowsAsync("voids"), await server.Database.CountRowsAsync("push_tokens"));
}

public sealed class SqliteMalformedInputTests() : MalformedInputTests(StoreKind.Sqlite);

public sealed class PostgresMalformedInputTests() : MalformedInputTests(StoreKind.Postgres);
