using System.Globalization;
using System.Net;
using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Analytics;

/// <summary>The analytics report over real HTTP: every section agrees with the results, the audit, the SMS and revenue views.</summary>
public abstract class AnalyticsTests(StoreKind kind)
{
    private static string PathOf(long episode, string query = "") => $"/api/v1/admin/episodes/{episode}/analytics{query}";

    private static async Task<JsonElement> ReportAsync(ApiDriver api, long episode)
    {
        var a = await api.GetAsync(PathOf(episode), admin: true);
        Assert.True(a.Status == HttpStatusCode.OK, $"{a.Code} {a.Body}");
        return a.Data;
    }

    private static Task PatchProfileAsync(ApiDriver api, string token, object body) =>
        api.SendAsync(HttpMethod.Patch, "/api/v1/me", JsonSerializer.Serialize(body), token);

    /// <summary>
    /// Four voters: a returning one (signed in before voting opened) in Phnom Penh casting free and paid
    /// votes and buying a package; one in Kandal casting bundle and app SMS votes; a texter with no
    /// profile; and one whose free votes are voided. Every carrier charge confirmed.
    /// </summary>
    private static async Task<(TestEpisode Episode, SignedIn Returning)> MixAsync(SmsTestHost host)
    {
        var api = host.Api;
        var returning = await api.SignInAsync();
        await PatchProfileAsync(api, returning.Token, new { province = "Phnom Penh", gender = "female", date_of_birth = "2000-01-01" });
        var e = await api.OpenEpisodeAsync();

        await api.CreditAsync(returning.UserId, 10);
        await api.VoteOkAsync(returning.Token, e.Contestants[0], "free", 2);
        await api.VoteOkAsync(returning.Token, e.Contestants[1], "paid", 3);
        var package = await api.CreateAsync("/api/v1/admin/vote_packages", new { name = "Test 10", vote_count = 10, price = 2.49m });
        var bought = await api.PostAsync("/api/v1/xfactor/purchases", new { platform = "test", package_id = package }, returning.Token);
        Assert.True(bought.Status == HttpStatusCode.OK, bought.Body.ToString());

        var second = await api.SignInAsync();
        await PatchProfileAsync(api, second.Token, new { province = "Kandal", gender = "male" });
        await api.GrantBundleAsync(second.UserId, 5);
        await api.VoteOkAsync(second.Token, e.Contestants[0], "bundle", 4);
        await api.VoteOkAsync(second.Token, e.Contestants[2], "sms", 2);

        Assert.True((await host.Sms.TextAsync("smart", SmsDriver.NewPhone("smart"), "VOTE 1 2")).Processed);

        var voided = await api.SignInAsync();
        await api.VoteOkAsync(voided.Token, e.Contestants[1], "free", 3);
        var v = await api.PostAsync("/api/v1/admin/votes/void", new { episode_id = e.EpisodeId, reason = "scripted", refund = false, voter_id = voided.UserId }, admin: true);
        Assert.Equal(HttpStatusCode.OK, v.Status);

        await SmsTestHost.EventuallyAsync(async () =>
            (await host.SmsStatsAsync(e.EpisodeId)).GetProperty("carriers").EnumerateArray().Sum(c => c.GetProperty("charges").GetProperty("confirmed").GetInt64()) == 2,
            "both carrier charges to be confirmed");
        return (e, returning);
    }

    [Fact]
    public async Task EverySectionAgreesWithTheResultsTheAuditAndTheRevenueViews()
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        var api = host.Api;
        var (e, _) = await MixAsync(host);

        var report = await ReportAsync(api, e.EpisodeId);
        var results = await api.ResultsAsync(e.EpisodeId);
        var audit = await api.AuditAsync(e.EpisodeId);
        var sms = await host.SmsStatsAsync(e.EpisodeId);
        var revenue = (await api.GetAsync($"/api/v1/admin/episodes/{e.EpisodeId}/revenue", admin: true)).Data;
        Assert.True(audit.GetProperty("consistent").GetBoolean(), audit.ToString());
        Assert.True(audit.GetProperty("analytics_consistent").GetBoolean(), audit.ToString());

        var summary = report.GetProperty("summary");
        var breakdown = results.GetProperty("vote_breakdown");
        Assert.Equal(13, summary.GetProperty("total_votes").GetInt64());
        Assert.Equal(breakdown.GetProperty("total_votes").GetInt64(), summary.GetProperty("total_votes").GetInt64());
        Assert.Equal(audit.GetProperty("ledger_votes").GetInt64(), summary.GetProperty("total_votes").GetInt64());
        Assert.Equal(3, summary.GetProperty("unique_voters").GetInt64()); // the voided voter no longer counts
        Assert.Equal(breakdown.GetProperty("unique_voters").GetInt64(), summary.GetProperty("unique_voters").GetInt64());
        Assert.Equal(4.33m, summary.GetProperty("average_votes_per_user").GetDecimal());
        var money = summary.GetProperty("revenue");
        Assert.Equal(sms.GetProperty("revenue").GetDecimal(), money.GetProperty("sms").GetDecimal());
        Assert.True(money.GetProperty("sms").GetDecimal() > 0);
        Assert.Equal(2.49m, money.GetProperty("paid_packages").GetDecimal());
        Assert.Equal(revenue.GetProperty("net")[0].GetProperty("amount").GetDecimal(), money.GetProperty("paid_packages").GetDecimal());
        Assert.Equal(money.GetProperty("sms").GetDecimal() + 2.49m, money.GetProperty("total").GetDecimal());
        Assert.InRange(summary.GetProperty("engagement_rate").GetDecimal(), 0.01m, 100m);

        var timeline = report.GetProperty("timeline");
        Assert.Equal(13, timeline.GetProperty("per_minute").EnumerateArray().Sum(m => m.GetProperty("votes").GetInt64()));
        Assert.Equal(13, timeline.GetProperty("hourly_votes").EnumerateArray().Sum(h => h.GetProperty("votes").GetInt64()));
        Assert.Equal(breakdown.GetProperty("by_hour").EnumerateArray().Select(h => h.GetProperty("votes").GetInt64()),
            timeline.GetProperty("hourly_votes").EnumerateArray().Select(h => h.GetProperty("votes").GetInt64()));
        Assert.True(timeline.GetProperty("peak_votes").GetInt64() > 0);
        Assert.Equal(4.33m, timeline.GetProperty("voting_velocity").GetDecimal());
        Assert.All(timeline.GetProperty("per_minute").EnumerateArray(), m => Assert.Equal(0, m.GetProperty("time").GetDateTimeOffset().Second));

        var demographics = report.GetProperty("demographics");
        Assert.Equal(new Dictionary<string, long> { ["bronze"] = 3, ["silver"] = 0, ["gold"] = 0, ["platinum"] = 0 }, Counts(demographics.GetProperty("by_tier")));
        Assert.Equal(new Dictionary<string, long> { ["female"] = 1, ["male"] = 1, ["other"] = 0, ["unknown"] = 1 }, Counts(demographics.GetProperty("by_gender")));
        Assert.Equal(1, Counts(demographics.GetProperty("by_age_group"))["25-34"]);
        Assert.Equal(2, Counts(demographics.GetProperty("by_age_group"))["unknown"]);
        Assert.Equal(3, Counts(demographics.GetProperty("by_age_group")).Values.Sum());
        Assert.Equal((2L, 1L), (demographics.GetProperty("new_vs_returning").GetProperty("new").GetInt64(),
            demographics.GetProperty("new_vs_returning").GetProperty("returning").GetInt64()));
        Assert.Equal(9.67m, demographics.GetProperty("average_loyalty_points").GetDecimal()); // (4 + 9) + (8 + 4) + 4 over 3 voters

        var geographic = report.GetProperty("geographic");
        Assert.Equal(new Dictionary<string, long> { ["Kandal"] = 6, ["Phnom Penh"] = 5, ["unknown"] = 2 }, Counts(geographic.GetProperty("by_province")));
        Assert.Equal(["Kandal", "Phnom Penh"], geographic.GetProperty("top_provinces").EnumerateArray().Select(p => p.GetProperty("province").GetString()));
        var urban = geographic.GetProperty("urban_vs_rural");
        Assert.Equal((5L, 6L, 45.45m), (urban.GetProperty("urban").GetInt64(), urban.GetProperty("rural").GetInt64(), urban.GetProperty("urban_percentage").GetDecimal()));

        var payments = report.GetProperty("payment_methods");
        var byType = breakdown.GetProperty("by_type");
        Assert.Equal(Counts(byType), Counts(payments.GetProperty("by_type")));
        Assert.Equal(new Dictionary<string, long> { ["free"] = 2, ["paid"] = 3, ["bundle"] = 4, ["sms"] = 4 }, Counts(payments.GetProperty("by_type")));
        Assert.Equal(new Dictionary<string, long> { ["2.49"] = 1 }, Counts(payments.GetProperty("by_amount")));
        Assert.Equal(33.33m, payments.GetProperty("conversion_rate").GetDecimal());
        Assert.Equal(2.49m, payments.GetProperty("average_purchase").GetDecimal());

        var contestants = report.GetProperty("contestant_analysis").EnumerateArray().ToList();
        var ranked = results.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("contestant_id").GetInt64(), r => r.GetProperty("votes").GetInt64());
        Assert.Equal(e.Contestants, contestants.Select(c => c.GetProperty("contestant_id").GetInt64()));
        Assert.All(contestants, c => Assert.Equal(ranked[c.GetProperty("contestant_id").GetInt64()], c.GetProperty("total_votes").GetInt64()));
        Assert.All(contestants, c => Assert.Equal(c.GetProperty("total_votes").GetInt64(), Counts(c.GetProperty("vote_sources")).Values.Sum()));
        Assert.All(contestants, c => Assert.Equal(c.GetProperty("total_votes").GetInt64(),
            c.GetProperty("hourly_trend").EnumerateArray().Sum(h => h.GetProperty("votes").GetInt64())));
        Assert.Equal([3L, 1L, 1L], contestants.Select(c => c.GetProperty("unique_voters").GetInt64()));
        Assert.Equal([8L, 3L, 2L], contestants.Select(c => c.GetProperty("total_votes").GetInt64()));
        Assert.Equal([1, 2, 3], contestants.Select(c => c.GetProperty("predicted_rank").GetInt32()));
        Assert.Equal(new Dictionary<string, long> { ["free"] = 2, ["paid"] = 0, ["bundle"] = 4, ["sms"] = 2 }, Counts(contestants[0].GetProperty("vote_sources")));

        var predictions = report.GetProperty("predictions");
        Assert.Equal(JsonValueKind.Object, predictions.ValueKind);
        var probabilities = predictions.GetProperty("win_probability").EnumerateArray().ToList();
        Assert.Equal(e.Contestants, probabilities.Select(p => p.GetProperty("contestant_id").GetInt64()));
        Assert.Equal(1m, probabilities.Sum(p => p.GetProperty("probability").GetDecimal()));
        var winner = predictions.GetProperty("projected_winner");
        Assert.Equal((e.Contestants[0], "Contestant 1", 8L), (winner.GetProperty("contestant_id").GetInt64(), winner.GetProperty("name").GetString(),
            winner.GetProperty("current_votes").GetInt64()));
        Assert.True(winner.GetProperty("projected_votes").GetInt64() >= 8);
        Assert.True(predictions.GetProperty("estimated_total_votes").GetInt64() >= 13);
        Assert.InRange(predictions.GetProperty("confidence_level").GetInt32(), 0, 100);
        Assert.True(predictions.GetProperty("estimated_revenue").GetDecimal() >= money.GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task PredictionsAreNullOnceVotingClosesAndBeforeItOpens()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var idle = await api.CreateEpisodeAsync(2, episodeNumber: 2);
        var before = await ReportAsync(api, idle.EpisodeId);
        Assert.Equal(JsonValueKind.Null, before.GetProperty("predictions").ValueKind);
        Assert.Equal((0L, 0L), (before.GetProperty("summary").GetProperty("total_votes").GetInt64(), before.GetProperty("summary").GetProperty("unique_voters").GetInt64()));
        Assert.Equal(2, before.GetProperty("contestant_analysis").GetArrayLength());

        var e = await api.OpenEpisodeAsync(2);
        var voter = await api.SignInAsync();
        await api.VoteOkAsync(voter.Token, e.Contestants[1], "free", 5);
        var open = await ReportAsync(api, e.EpisodeId);
        var probabilities = open.GetProperty("predictions").GetProperty("win_probability").EnumerateArray().Select(p => p.GetProperty("probability").GetDecimal()).ToList();
        Assert.Equal(1m, probabilities.Sum());
        Assert.True(probabilities[1] > probabilities[0]);

        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/admin/episodes/{e.EpisodeId}/voting/close", new { }, admin: true)).Status);
        var closed = await ReportAsync(api, e.EpisodeId);
        Assert.Equal(JsonValueKind.Null, closed.GetProperty("predictions").ValueKind);
        Assert.Equal(5, closed.GetProperty("summary").GetProperty("total_votes").GetInt64());
        Assert.Equal([2, 1], closed.GetProperty("contestant_analysis").EnumerateArray().Select(c => c.GetProperty("predicted_rank").GetInt32()));
    }

    [Fact]
    public async Task EachSectionDownloadsAsCsvWithAHeaderAndOneRowPerItem()
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        var api = host.Api;
        var (e, _) = await MixAsync(host);
        var report = await ReportAsync(api, e.EpisodeId);

        var timeline = await CsvAsync(api, e.EpisodeId, "timeline");
        Assert.Equal("time,votes,rate", timeline[0]);
        Assert.Equal(report.GetProperty("timeline").GetProperty("per_minute").GetArrayLength(), timeline.Count - 1);
        Assert.Equal(13, timeline.Skip(1).Sum(r => long.Parse(r.Split(',')[1], CultureInfo.InvariantCulture)));

        var demographics = await CsvAsync(api, e.EpisodeId, "demographics");
        Assert.Equal("dimension,label,voters", demographics[0]);
        Assert.Contains("by_age_group,18-24,0", demographics);
        Assert.Contains("by_gender,female,1", demographics);
        Assert.Contains("new_vs_returning,returning,1", demographics);
        Assert.Equal(4 + 6 + 4 + 2, demographics.Count - 1);

        var geographic = await CsvAsync(api, e.EpisodeId, "geographic");
        Assert.Equal(["province,votes", "Kandal,6", "Phnom Penh,5", "unknown,2"], geographic);

        var payments = await CsvAsync(api, e.EpisodeId, "payment_methods");
        Assert.Equal(["dimension,label,value", "by_type,free,2", "by_type,paid,3", "by_type,bundle,4", "by_type,sms,4", "by_amount,2.49,1"], payments);

        var contestants = await CsvAsync(api, e.EpisodeId, "contestant_analysis");
        Assert.Equal("contestant_id,name,total_votes,unique_voters,free_votes,paid_votes,bundle_votes,sms_votes,momentum_score,predicted_rank", contestants[0]);
        Assert.Equal(3, contestants.Count - 1);
        Assert.StartsWith($"{e.Contestants[0]},Contestant 1,8,3,2,0,4,2,", contestants[1], StringComparison.Ordinal);

        var one = await api.GetAsync(PathOf(e.EpisodeId, "?section=geographic"), admin: true);
        Assert.Equal(HttpStatusCode.OK, one.Status);
        Assert.Equal(["geographic"], one.Data.EnumerateObject().Select(p => p.Name));
    }

    [Theory]
    [InlineData("?format=csv", 400, "INVALID_REQUEST")]
    [InlineData("?section=votes&format=csv", 400, "INVALID_REQUEST")]
    [InlineData("?section=votes", 400, "INVALID_REQUEST")]
    [InlineData("?section=timeline&format=xml", 400, "INVALID_REQUEST")]
    [InlineData("?section=Timeline&format=csv", 400, "INVALID_REQUEST")]
    public async Task ABadQueryIsRefusedWithItsCode(string query, int status, string code)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var e = await server.Api.CreateEpisodeAsync();

        var a = await server.Api.GetAsync(PathOf(e.EpisodeId, query), admin: true);

        Assert.Equal((status, code), (a.Code, a.ErrorCode));
    }

    [Fact]
    public async Task AnUnknownEpisodeIsNotFoundAndTheReportNeedsTheOperatorKey()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var e = await server.Api.CreateEpisodeAsync();

        foreach (var path in new[] { PathOf(e.EpisodeId + 1000), PathOf(0), "/api/v1/admin/episodes/abc/analytics", PathOf(e.EpisodeId + 1000, "?section=timeline&format=csv") })
        {
            var a = await server.Api.GetAsync(path, admin: true);
            Assert.Equal((404, "EPISODE_NOT_FOUND"), (a.Code, a.ErrorCode));
        }
        var anonymous = await server.Api.GetAsync(PathOf(e.EpisodeId));
        Assert.Equal((401, "UNAUTHORIZED"), (anonymous.Code, anonymous.ErrorCode));
    }

    private static async Task<List<string>> CsvAsync(ApiDriver api, long episode, string section)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, PathOf(episode, $"?section={section}&format=csv"));
        request.Headers.Add("X-Api-Key", VotingTestServer.AdminKey);
        using var response = await api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("\r\n", text, StringComparison.Ordinal);
        return [.. text.Split("\r\n")[..^1]];
    }

    private static Dictionary<string, long> Counts(JsonElement map) => map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
}

public sealed class SqliteAnalyticsTests() : AnalyticsTests(StoreKind.Sqlite);

public sealed class PostgresAnalyticsTests() : AnalyticsTests(StoreKind.Postgres);
