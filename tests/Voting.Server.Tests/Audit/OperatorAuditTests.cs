using System.Net;
using System.Text.Json;
using Voting.Server.Infrastructure;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Audit;

/// <summary>Named operator keys and the audit log: every change an operator makes is recorded under the name of their key.</summary>
public abstract class OperatorAuditTests(StoreKind kind)
{
    private const string Admin = "/api/v1/admin";
    private const string AliceKey = "alice-key-0123456789";
    private const string BobKey = "bob-key-0123456789-xyz";

    /// <summary>Two named operators and no single key.</summary>
    private static Dictionary<string, string?> TwoOperators() => new()
    {
        ["Admin:ApiKey"] = null,
        ["Admin:ApiKeys:alice"] = AliceKey,
        ["Admin:ApiKeys:bob"] = BobKey,
    };

    private static Task<ApiAnswer> AsAsync(ApiDriver api, string key, HttpMethod method, string path, object? body = null) =>
        api.SendAsync(method, path, body is null ? null : JsonSerializer.Serialize(body), headers: new Dictionary<string, string> { ["X-Api-Key"] = key });

    private static async Task<JsonElement> OkAsync(ApiDriver api, string key, HttpMethod method, string path, object? body = null)
    {
        var a = await AsAsync(api, key, method, path, body);
        Assert.True(a.Code is 200 or 201, $"{method} {path} refused: {a.Code} {a.ErrorCode} {a.Body}");
        return a.Data;
    }

    private static async Task<List<JsonElement>> LogAsync(ApiDriver api, string key, string query = "")
    {
        var a = await AsAsync(api, key, HttpMethod.Get, $"{Admin}/audit_log{query}");
        Assert.Equal(HttpStatusCode.OK, a.Status);
        return [.. a.Data.GetProperty("entries").EnumerateArray()];
    }

    [Fact]
    public async Task EachKindOfOperatorActionIsLoggedUnderTheNameOfTheKeyThatDidIt()
    {
        await using var server = await VotingTestServer.StartAsync(kind, settings: TwoOperators());
        var api = server.Api;
        var started = DateTimeOffset.UtcNow.AddSeconds(-5);
        var expected = new List<(string Action, string Actor, string Target)>();
        var keys = new Dictionary<string, string> { ["alice"] = AliceKey, ["bob"] = BobKey };

        // The table: each operator action that changes something, who does it, and what the log should name as its target.
        async Task<JsonElement> Do(string action, string actor, HttpMethod method, string path, object? body, Func<JsonElement, string> target)
        {
            var data = await OkAsync(api, keys[actor], method, path, body);
            expected.Add((action, actor, target(data)));
            return data;
        }
        static string Id(string kind, JsonElement d) => $"{kind}:{d.GetProperty("id").GetInt64()}";

        var season = (await Do("season.create", "alice", HttpMethod.Post, $"{Admin}/seasons", new { name = "S1", year = 2026, status = "active" }, d => Id("season", d))).GetProperty("id").GetInt64();
        var c1 = (await Do("contestant.create", "bob", HttpMethod.Post, $"{Admin}/contestants", new { name = "Sophea" }, d => Id("contestant", d))).GetProperty("id").GetInt64();
        var c2 = (await Do("contestant.create", "alice", HttpMethod.Post, $"{Admin}/contestants", new { name = "Dara" }, d => Id("contestant", d))).GetProperty("id").GetInt64();
        var episode = (await Do("episode.create", "alice", HttpMethod.Post, $"{Admin}/episodes", new { season_id = season, episode_number = 1, title = "Live 1" }, d => Id("episode", d))).GetProperty("id").GetInt64();
        await Do("lineup.add", "bob", HttpMethod.Post, $"{Admin}/episodes/{episode}/contestants", new { contestant_id = c1, performance_order = 1 }, _ => $"episode:{episode}");
        await Do("lineup.add", "alice", HttpMethod.Post, $"{Admin}/episodes/{episode}/contestants", new { contestant_id = c2, performance_order = 2 }, _ => $"episode:{episode}");
        await Do("voting.open", "bob", HttpMethod.Post, $"{Admin}/episodes/{episode}/voting/open", new { duration_seconds = 600 }, _ => $"episode:{episode}");
        var voter = await api.SignInAsync();
        await Do("vote_credits.grant", "alice", HttpMethod.Post, $"{Admin}/users/{voter.UserId}/vote_credits", new { amount = 7, reason = "goodwill" }, _ => $"user:{voter.UserId}");
        await Do("bundle.grant", "bob", HttpMethod.Post, $"{Admin}/users/{voter.UserId}/bundles", new { votes = 5 }, _ => $"user:{voter.UserId}");
        var vote = (await api.VoteOkAsync(voter.Token, c1, "paid", 2)).GetProperty("vote_id").GetInt64();
        await Do("votes.void", "alice", HttpMethod.Post, $"{Admin}/votes/void", new { episode_id = episode, reason = "scripted", refund = false, vote_ids = new[] { vote } }, _ => $"episode:{episode}");
        await Do("contestant.eliminate", "bob", HttpMethod.Post, $"{Admin}/contestants/{c2}/eliminate", null, _ => $"contestant:{c2}");
        var package = (await Do("vote_package.create", "alice", HttpMethod.Post, $"{Admin}/vote_packages", new { name = "Fan pack", vote_count = 20, price = 1.99m }, d => Id("vote_package", d))).GetProperty("id").GetInt64();
        await Do("vote_package.update", "bob", HttpMethod.Patch, $"{Admin}/vote_packages/{package}", new { badge_text = "New" }, _ => $"vote_package:{package}");
        await Do("voting.close", "alice", HttpMethod.Post, $"{Admin}/episodes/{episode}/voting/close", null, _ => $"episode:{episode}");
        // A dead letter to retry: the sign-in code's SMS, marked dead as the dispatcher would after its last attempt.
        var outbox = (long)Convert.ToInt64((await server.Database.QueryAsync("SELECT MAX(id) FROM outbox"))[0][0]);
        await server.Database.ExecuteAsync("UPDATE outbox SET status = 'dead' WHERE id = $1", outbox);
        await Do("outbox.retry", "bob", HttpMethod.Post, $"{Admin}/outbox/{outbox}/retry", null, _ => $"outbox:{outbox}");

        // Refused actions and reads change nothing, and are not recorded.
        Assert.Equal(HttpStatusCode.Conflict, (await AsAsync(api, AliceKey, HttpMethod.Post, $"{Admin}/episodes/{episode}/voting/open", new { duration_seconds = 60 })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await AsAsync(api, BobKey, HttpMethod.Post, $"{Admin}/users/999999/bundles", new { votes = 1 })).Status);
        Assert.Equal(HttpStatusCode.OK, (await AsAsync(api, BobKey, HttpMethod.Get, $"{Admin}/episodes/{episode}/audit")).Status);
        var log = await LogAsync(api, AliceKey);

        Assert.Equal(expected.AsEnumerable().Reverse().ToList(), log.Select(e =>
            (e.GetProperty("action").GetString()!, e.GetProperty("actor").GetString()!, e.GetProperty("target").GetString()!)).ToList());
        Assert.Equal(log.Select(e => e.GetProperty("id").GetInt64()).OrderDescending(), log.Select(e => e.GetProperty("id").GetInt64()));
        Assert.All(log, e => Assert.InRange(e.GetProperty("at").GetDateTimeOffset(), started, DateTimeOffset.UtcNow.AddSeconds(5)));
        Assert.Equal(log.Count, log.Select(e => e.GetProperty("request_id").GetString()).Where(id => !string.IsNullOrEmpty(id)).Distinct().Count());
        var credit = log.Single(e => e.GetProperty("action").GetString() == "vote_credits.grant").GetProperty("details");
        Assert.Equal((7, "goodwill", 7), (credit.GetProperty("amount").GetInt64(), credit.GetProperty("reason").GetString(), credit.GetProperty("balance").GetInt64()));
        var voided = log.Single(e => e.GetProperty("action").GetString() == "votes.void").GetProperty("details");
        Assert.Equal(($"vote_ids:{vote}", 1, 2, false), (voided.GetProperty("selector").GetString(), voided.GetProperty("rows_voided").GetInt64(),
            voided.GetProperty("votes_voided").GetInt64(), voided.GetProperty("refund").GetBoolean()));
        Assert.Equal("alice", (await server.Database.QueryAsync("SELECT actor FROM voids"))[0][0]);
        Assert.Equal(JsonValueKind.Null, log.Single(e => e.GetProperty("action").GetString() == "voting.close").GetProperty("details").ValueKind);
    }

    [Fact]
    public async Task TheSingleApiKeyActsAsAdminAndRetiresTheDevelopmentKey()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;

        var season = await api.CreateAsync($"{Admin}/seasons", new { name = "S", year = 2026, status = "active" });
        var fallback = await AsAsync(api, AdminOptions.DevelopmentKey, HttpMethod.Post, $"{Admin}/seasons", new { name = "Sneaky", year = 2026 });

        ApiAssert.Error(fallback, 401, "UNAUTHORIZED");
        var entry = Assert.Single(await LogAsync(api, VotingTestServer.AdminKey));
        Assert.Equal(("admin", "season.create", $"season:{season}"), (entry.GetProperty("actor").GetString(), entry.GetProperty("action").GetString(), entry.GetProperty("target").GetString()));
        Assert.Equal(1, await server.Database.CountRowsAsync("seasons"));
    }

    [Fact]
    public async Task NamedKeysAloneRetireTheDevelopmentKeyAndAnUnknownKeyIsUnauthorized()
    {
        await using var server = await VotingTestServer.StartAsync(kind, settings: TwoOperators());
        var api = server.Api;

        var fallback = await AsAsync(api, AdminOptions.DevelopmentKey, HttpMethod.Post, $"{Admin}/contestants", new { name = "A" });
        var unknown = await AsAsync(api, "carol-key-0123456789", HttpMethod.Post, $"{Admin}/contestants", new { name = "B" });
        var single = await AsAsync(api, VotingTestServer.AdminKey, HttpMethod.Post, $"{Admin}/contestants", new { name = "C" });
        var prefix = await AsAsync(api, AliceKey[..^1], HttpMethod.Post, $"{Admin}/contestants", new { name = "D" });
        var unknownReads = await AsAsync(api, "carol-key-0123456789", HttpMethod.Get, $"{Admin}/audit_log");

        foreach (var refused in new[] { fallback, unknown, single, prefix, unknownReads }) ApiAssert.Error(refused, 401, "UNAUTHORIZED");
        Assert.Equal(0, await server.Database.CountRowsAsync("contestants"));
        Assert.Empty(await LogAsync(api, BobKey));
    }

    [Fact]
    public async Task WithNoKeyConfiguredDevelopmentAcceptsTheDevelopmentKeyAsAdmin()
    {
        await using var server = await VotingTestServer.StartAsync(kind, settings: new Dictionary<string, string?> { ["Admin:ApiKey"] = null });
        var api = server.Api;

        await OkAsync(api, AdminOptions.DevelopmentKey, HttpMethod.Post, $"{Admin}/contestants", new { name = "A" });

        Assert.Equal("admin", Assert.Single(await LogAsync(api, AdminOptions.DevelopmentKey)).GetProperty("actor").GetString());
    }

    [Fact]
    public async Task AProductionServerGoesOnAirWithNamedKeysOnly()
    {
        await using var server = await VotingTestServer.StartAsync(kind, settings: TwoOperators(), environment: "Production");
        var api = server.Api;

        await OkAsync(api, BobKey, HttpMethod.Post, $"{Admin}/seasons", new { name = "S", year = 2026 });
        var fallback = await AsAsync(api, AdminOptions.DevelopmentKey, HttpMethod.Get, $"{Admin}/audit_log");

        ApiAssert.Error(fallback, 401, "UNAUTHORIZED");
        Assert.Equal("bob", Assert.Single(await LogAsync(api, AliceKey)).GetProperty("actor").GetString());
    }

    [Fact]
    public async Task TheLogPagesNewestFirstAndRefusesABadLimitOrCursor()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var ids = new List<long>();
        for (var i = 0; i < 5; i++) ids.Add(await api.CreateAsync($"{Admin}/contestants", new { name = $"C{i}" }));

        var all = await LogAsync(api, VotingTestServer.AdminKey);
        var firstPage = await LogAsync(api, VotingTestServer.AdminKey, "?limit=2");
        var secondPage = await LogAsync(api, VotingTestServer.AdminKey, $"?limit=2&before={firstPage[^1].GetProperty("id").GetInt64()}");
        var rest = await LogAsync(api, VotingTestServer.AdminKey, $"?before={secondPage[^1].GetProperty("id").GetInt64()}&limit=1000");
        var bad = new List<ApiAnswer>();
        foreach (var query in new[] { "limit=0", "limit=1001", "limit=abc", "limit=-1", "limit=", "limit=1.5", "before=0", "before=abc", "before=-3" })
            bad.Add(await api.GetAsync($"{Admin}/audit_log?{query}", admin: true));

        Assert.Equal(ids.AsEnumerable().Reverse().Select(id => $"contestant:{id}"), all.Select(e => e.GetProperty("target").GetString()));
        Assert.Equal(all.Select(Target), firstPage.Concat(secondPage).Concat(rest).Select(Target));
        Assert.Equal((2, 2, 1), (firstPage.Count, secondPage.Count, rest.Count));
        Assert.All(bad, a => ApiAssert.Error(a, 400, "INVALID_REQUEST"));
        Assert.Contains("limit", ApiAssert.Message(bad[0]), StringComparison.Ordinal);
        Assert.Contains("before", ApiAssert.Message(bad[^1]), StringComparison.Ordinal);
        Assert.Equal(5, (await LogAsync(api, VotingTestServer.AdminKey)).Count);
    }

    private static string Target(JsonElement e) => e.GetProperty("target").GetString()!;
}

public sealed class SqliteOperatorAuditTests() : OperatorAuditTests(StoreKind.Sqlite);

public sealed class PostgresOperatorAuditTests() : OperatorAuditTests(StoreKind.Postgres);
