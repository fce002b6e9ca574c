using System.Net;
using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Fraud;

/// <summary>
/// Fraud scoring over HTTP: clients connect from different loopback addresses (127.0.0.x) so the
/// server sees them in the ranges files the test writes: 127.0.0.64/26 is a proxy network,
/// 127.0.0.0–127.0.0.127 is in Cambodia, 127.0.0.128–127.0.0.255 in Thailand.
/// </summary>
public abstract class FraudTests(StoreKind kind) : IDisposable
{
    private const string Cambodian = "127.0.0.2", Proxy = "127.0.0.70", Abroad = "127.0.0.130";
    private readonly string _dir = Directory.CreateTempSubdirectory("xfactor-fraud-").FullName;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    private Dictionary<string, string?> RangesFiles()
    {
        var proxies = Path.Combine(_dir, "proxies.txt");
        var geo = Path.Combine(_dir, "geoip.txt");
        File.WriteAllLines(proxies, ["# hosting and VPN networks", "127.0.0.64/26", "2001:db8::/32"]);
        // Tor's geoip form: IPv4 as integers; and dotted addresses, which the reader takes too.
        File.WriteAllLines(geo, ["2130706432,2130706559,KH", "127.0.0.128,127.0.0.255,TH"]);
        return new() { ["Fraud:ProxyRangesFile"] = proxies, ["Fraud:GeoRangesFile"] = geo };
    }

    private Task<VotingTestServer> StartAsync(Dictionary<string, string?>? extra = null)
    {
        var settings = RangesFiles();
        foreach (var kv in extra ?? []) settings[kv.Key] = kv.Value;
        return VotingTestServer.StartAsync(kind, settings: settings);
    }

    /// <summary>An API driver whose connections leave from <paramref name="source"/>.</summary>
    private static ApiDriver From(VotingTestServer server, string source) =>
        new(new HttpClient(SourceAddress.Handler(source)) { BaseAddress = server.Address }, server.Errors);

    private static Task<ApiAnswer> Vote(ApiDriver api, string token, long contestant, string type = "free", int count = 1,
        string? device = null, string? location = null)
    {
        var headers = new Dictionary<string, string>();
        if (device is not null) headers["X-Device-ID"] = device;
        if (location is not null) headers["X-Location"] = location;
        return api.CastRawAsync(token, JsonSerializer.Serialize(new { contestant_id = contestant, vote_type = type, vote_count = count }), headers);
    }

    private static async Task<List<JsonElement>> ReviewsAsync(ApiDriver api, long episode, string? status = null) =>
        [.. (await api.GetAsync($"/api/v1/admin/fraud/reviews?episode_id={episode}" + (status is null ? "" : $"&status={status}"), admin: true))
            .Data.GetProperty("reviews").EnumerateArray()];

    private static async Task<List<JsonElement>> BlockedAsync(ApiDriver api, long episode) =>
        [.. (await api.GetAsync($"/api/v1/admin/fraud/blocked?episode_id={episode}", admin: true)).Data.GetProperty("blocked").EnumerateArray()];

    private static async Task<long> VotesFor(ApiDriver api, long episode, long contestant) =>
        (await api.ResultsAsync(episode)).GetProperty("results").EnumerateArray()
            .Single(r => r.GetProperty("contestant_id").GetInt64() == contestant).GetProperty("votes").GetInt64();

    private static List<string?> Reasons(JsonElement e) => [.. e.GetProperty("reasons").EnumerateArray().Select(r => r.GetString())];

    [Fact]
    public async Task A_scripted_voter_at_a_steady_cadence_through_a_proxy_range_is_blocked_and_nothing_is_counted_or_spent()
    {
        await using var server = await StartAsync();
        var e = await server.Api.OpenEpisodeAsync();
        var script = From(server, Proxy);
        var voter = await script.SignInAsync();
        await server.Api.CreditAsync(voter.UserId, 100);

        // Through a proxy (0.40) each vote passes until ten attempts at a machine's regularity add the timing rule (0.50).
        var answers = new List<ApiAnswer>();
        for (var i = 0; i < 12; i++) answers.Add(await Vote(script, voter.Token, e.Contestants[0], "paid"));

        Assert.All(answers.Take(9), a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers.Skip(9), a => Assert.Equal((422, "VOTE_BLOCKED"), (a.Code, a.ErrorCode)));
        Assert.Equal(9, await VotesFor(server.Api, e.EpisodeId, e.Contestants[0]));
        Assert.Equal(91, (await server.Api.BalanceAsync(voter.Token)).GetProperty("balance").GetInt64());
        var blocked = await BlockedAsync(server.Api, e.EpisodeId);
        Assert.Equal(3, blocked.Count);
        Assert.All(blocked, b =>
        {
            Assert.Equal(voter.UserId, b.GetProperty("voter_id").GetInt64());
            Assert.Equal(["proxy", "timing"], Reasons(b));
            Assert.Equal(0.9m, b.GetProperty("score").GetDecimal());
            Assert.Equal(Proxy, b.GetProperty("ip").GetString());
        });
        Assert.Empty(await ReviewsAsync(server.Api, e.EpisodeId));
        Assert.True((await server.Api.AuditAsync(e.EpisodeId)).GetProperty("consistent").GetBoolean());
    }

    [Fact]
    public async Task Shared_devices_go_to_review_and_approve_keeps_while_void_takes_the_vote_out()
    {
        await using var server = await StartAsync();
        var e = await server.Api.OpenEpisodeAsync();
        var farm = From(server, Proxy);
        var voters = new List<SignedIn>();
        for (var i = 0; i < 5; i++) voters.Add(await farm.SignInAsync());

        // One phone, five accounts, behind a VPN: the fourth and fifth voter on the device add the device rule (0.20) to the proxy's 0.40.
        foreach (var v in voters) Assert.Equal(HttpStatusCode.OK, (await Vote(farm, v.Token, e.Contestants[1], "free", 2, device: "farm-phone-1")).Status);

        var open = await ReviewsAsync(server.Api, e.EpisodeId, "open");
        Assert.Equal([voters[4].UserId, voters[3].UserId], open.Select(r => r.GetProperty("voter_id").GetInt64()));
        Assert.All(open, r =>
        {
            Assert.Equal(["device", "proxy"], Reasons(r));
            Assert.Equal(0.6m, r.GetProperty("score").GetDecimal());
            Assert.Equal("farm-phone-1", r.GetProperty("device_id").GetString());
        });
        Assert.Equal(10, await VotesFor(server.Api, e.EpisodeId, e.Contestants[1])); // reviewed votes are counted

        var approved = await server.Api.PostAsync($"/api/v1/admin/fraud/reviews/{open[1].GetProperty("id").GetInt64()}/approve", new { }, admin: true);
        var voided = await server.Api.PostAsync($"/api/v1/admin/fraud/reviews/{open[0].GetProperty("id").GetInt64()}/void", new { reason = "account farm" }, admin: true);

        Assert.Equal(("approved", "admin"), (approved.Data.GetProperty("status").GetString(), approved.Data.GetProperty("decided_by").GetString()));
        Assert.Equal("voided", voided.Data.GetProperty("review").GetProperty("status").GetString());
        Assert.Equal((1L, 2L), (voided.Data.GetProperty("void").GetProperty("rows_voided").GetInt64(), voided.Data.GetProperty("void").GetProperty("votes_voided").GetInt64()));
        Assert.Equal(8, await VotesFor(server.Api, e.EpisodeId, e.Contestants[1]));
        Assert.Empty(await ReviewsAsync(server.Api, e.EpisodeId, "open"));
        var audit = await server.Api.AuditAsync(e.EpisodeId);
        Assert.True(audit.GetProperty("consistent").GetBoolean());
        Assert.Equal(2, audit.GetProperty("voided_votes").GetInt64());
        // The voided review's vote is voided without refund: the voter's free votes stay spent.
        var status = (await server.Api.GetAsync("/api/v1/xfactor/voting/current_episode", voters[4].Token)).Data.GetProperty("user_voting_status");
        Assert.Equal(3, status.GetProperty("free_votes_remaining").GetInt64());

        // Deciding again, or deciding a review that does not exist.
        var approveVoided = await server.Api.PostAsync($"/api/v1/admin/fraud/reviews/{open[0].GetProperty("id").GetInt64()}/approve", new { }, admin: true);
        var voidApproved = await server.Api.PostAsync($"/api/v1/admin/fraud/reviews/{open[1].GetProperty("id").GetInt64()}/void", new { reason = "x" }, admin: true);
        var unknown = await server.Api.PostAsync("/api/v1/admin/fraud/reviews/999999/approve", new { }, admin: true);
        var unknownVoid = await server.Api.PostAsync("/api/v1/admin/fraud/reviews/999999/void", new { reason = "x" }, admin: true);
        var noReason = await server.Api.PostAsync($"/api/v1/admin/fraud/reviews/{open[1].GetProperty("id").GetInt64()}/void", new { }, admin: true);
        Assert.Equal((409, "INVALID_TRANSITION"), (approveVoided.Code, approveVoided.ErrorCode));
        Assert.Equal((409, "INVALID_TRANSITION"), (voidApproved.Code, voidApproved.ErrorCode));
        Assert.Equal((404, "REVIEW_NOT_FOUND"), (unknown.Code, unknown.ErrorCode));
        Assert.Equal((404, "REVIEW_NOT_FOUND"), (unknownVoid.Code, unknownVoid.ErrorCode));
        Assert.Equal((400, "INVALID_REQUEST"), (noReason.Code, noReason.ErrorCode));
        Assert.Equal(8, await VotesFor(server.Api, e.EpisodeId, e.Contestants[1]));
        // Each decision is in the operators' audit log under the key's name; refused ones are not.
        var log = (await server.Api.GetAsync("/api/v1/admin/audit_log?limit=50", admin: true)).Data.GetProperty("entries").EnumerateArray()
            .Where(x => x.GetProperty("action").GetString()!.StartsWith("fraud_review.", StringComparison.Ordinal))
            .Select(x => (x.GetProperty("actor").GetString(), x.GetProperty("action").GetString(), x.GetProperty("target").GetString())).ToList();
        Assert.Equal([("admin", "fraud_review.void", $"review:{open[0].GetProperty("id").GetInt64()}"),
            ("admin", "fraud_review.approve", $"review:{open[1].GetProperty("id").GetInt64()}")], log);
    }

    [Fact]
    public async Task A_bulk_void_by_device_takes_every_vote_of_the_device_out_and_decides_their_reviews()
    {
        await using var server = await StartAsync();
        var e = await server.Api.OpenEpisodeAsync();
        var farm = From(server, Proxy);
        var honest = From(server, Cambodian);
        for (var i = 0; i < 5; i++)
        {
            var v = await farm.SignInAsync();
            Assert.Equal(HttpStatusCode.OK, (await Vote(farm, v.Token, e.Contestants[2], "free", 1, device: "farm-phone-2")).Status);
        }
        var viewer = await honest.SignInAsync();
        Assert.Equal(HttpStatusCode.OK, (await Vote(honest, viewer.Token, e.Contestants[2], "free", 3, device: "own-phone")).Status);

        var done = await server.Api.PostAsync("/api/v1/admin/votes/void",
            new { episode_id = e.EpisodeId, reason = "phone farm", refund = false, device_id = "farm-phone-2" }, admin: true);

        Assert.Equal(5, done.Data.GetProperty("rows_voided").GetInt64());
        Assert.Equal(3, await VotesFor(server.Api, e.EpisodeId, e.Contestants[2]));
        var reviews = await ReviewsAsync(server.Api, e.EpisodeId);
        Assert.Equal(2, reviews.Count);
        Assert.All(reviews, r => Assert.Equal(("voided", "phone farm"), (r.GetProperty("status").GetString(), r.GetProperty("decision_note").GetString())));
        Assert.True((await server.Api.AuditAsync(e.EpisodeId)).GetProperty("consistent").GetBoolean());
    }

    [Fact]
    public async Task Votes_from_abroad_are_refused_until_an_operator_marks_the_voter_travelling_and_a_normal_voter_is_never_touched()
    {
        await using var server = await StartAsync();
        var e = await server.Api.OpenEpisodeAsync();
        var abroad = From(server, Abroad);
        var home = From(server, Cambodian);
        var traveller = await abroad.SignInAsync();
        var viewer = await home.SignInAsync();

        var refused = await Vote(abroad, traveller.Token, e.Contestants[0]);
        var marked = await server.Api.PostAsync($"/api/v1/admin/users/{traveller.UserId}/travel", new { until = DateTimeOffset.UtcNow.AddDays(3) }, admin: true);
        var counted = await Vote(abroad, traveller.Token, e.Contestants[0]);
        var normal = new List<ApiAnswer>();
        for (var i = 0; i < 3; i++) normal.Add(await Vote(home, viewer.Token, e.Contestants[1], device: "viewer-phone", location: "11.5564,104.9282"));

        Assert.Equal((422, "VOTE_GEO_BLOCKED"), (refused.Code, refused.ErrorCode));
        Assert.Equal(HttpStatusCode.OK, marked.Status);
        Assert.Equal(HttpStatusCode.OK, counted.Status);
        Assert.All(normal, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var blocked = (await server.Api.GetAsync("/api/v1/admin/fraud/blocked", admin: true)).Data.GetProperty("blocked").EnumerateArray().ToList();
        var geo = Assert.Single(blocked);
        Assert.True(geo.GetProperty("geo_blocked").GetBoolean());
        Assert.Equal(["country"], Reasons(geo));
        Assert.Empty(await ReviewsAsync(server.Api, e.EpisodeId));
        Assert.DoesNotContain(blocked, b => b.GetProperty("voter_id").GetInt64() == viewer.UserId);
        Assert.Equal((1L, 3L), (await VotesFor(server.Api, e.EpisodeId, e.Contestants[0]), await VotesFor(server.Api, e.EpisodeId, e.Contestants[1])));
        var travel = (await server.Api.GetAsync("/api/v1/admin/audit_log", admin: true)).Data.GetProperty("entries").EnumerateArray()
            .Single(x => x.GetProperty("action").GetString() == "voter.travel");
        Assert.Equal(("admin", $"user:{traveller.UserId}"), (travel.GetProperty("actor").GetString(), travel.GetProperty("target").GetString()));
    }

    [Fact]
    public async Task A_phone_reporting_a_position_abroad_adds_the_gps_rule_and_a_malformed_position_is_400_and_counts_nothing()
    {
        await using var server = await StartAsync();
        var e = await server.Api.OpenEpisodeAsync();
        var farm = From(server, Proxy);
        var voter = await farm.SignInAsync();

        // Proxy 0.40 + GPS in Paris 0.30 = 0.70: counted and reviewed.
        var reviewed = await Vote(farm, voter.Token, e.Contestants[0], location: "48.8566,2.3522");
        var malformed = new List<ApiAnswer>();
        foreach (var bad in new[] { "11.55", "north,east", "91,104", "11.5,181", "NaN,1", "" })
            malformed.Add(await Vote(farm, voter.Token, e.Contestants[0], location: bad));

        Assert.Equal(HttpStatusCode.OK, reviewed.Status);
        var review = Assert.Single(await ReviewsAsync(server.Api, e.EpisodeId));
        Assert.Equal(["proxy", "gps"], Reasons(review));
        Assert.All(malformed, a => Assert.Equal((400, "INVALID_REQUEST"), (a.Code, a.ErrorCode)));
        Assert.Equal(1, await VotesFor(server.Api, e.EpisodeId, e.Contestants[0]));
    }

    [Fact]
    public async Task With_scoring_off_nothing_is_scored_blocked_or_reviewed()
    {
        await using var server = await StartAsync(new() { ["Fraud:Enabled"] = "false" });
        var e = await server.Api.OpenEpisodeAsync();
        var abroad = From(server, Abroad);
        var voter = await abroad.SignInAsync();
        await server.Api.CreditAsync(voter.UserId, 100);

        var answers = new List<ApiAnswer>();
        for (var i = 0; i < 12; i++) answers.Add(await Vote(abroad, voter.Token, e.Contestants[0], "paid", device: "shared"));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Empty(await ReviewsAsync(server.Api, e.EpisodeId));
        Assert.Empty((await server.Api.GetAsync("/api/v1/admin/fraud/blocked", admin: true)).Data.GetProperty("blocked").EnumerateArray());
    }

    [Fact]
    public async Task Listing_and_travel_refuse_bad_input_and_need_the_operator_key()
    {
        await using var server = await StartAsync();
        var api = server.Api;
        var voter = await api.SignInAsync();

        var cases = new (string Path, int Status, string Code)[]
        {
            ("/api/v1/admin/fraud/reviews?limit=0", 400, "INVALID_REQUEST"),
            ("/api/v1/admin/fraud/reviews?limit=1001", 400, "INVALID_REQUEST"),
            ("/api/v1/admin/fraud/reviews?limit=ten", 400, "INVALID_REQUEST"),
            ("/api/v1/admin/fraud/reviews?status=pending", 400, "INVALID_REQUEST"),
            ("/api/v1/admin/fraud/reviews?episode_id=-1", 400, "INVALID_REQUEST"),
            ("/api/v1/admin/fraud/blocked?limit=-5", 400, "INVALID_REQUEST"),
            ("/api/v1/admin/fraud/blocked?episode_id=abc", 400, "INVALID_REQUEST"),
        };
        foreach (var (path, status, code) in cases)
        {
            var a = await api.GetAsync(path, admin: true);
            Assert.True((status, code) == (a.Code, a.ErrorCode), $"{path}: {a.Code} {a.ErrorCode}");
        }
        var noKey = await api.GetAsync("/api/v1/admin/fraud/reviews");
        var unknownVoter = await api.PostAsync("/api/v1/admin/users/999999/travel", new { until = DateTimeOffset.UtcNow.AddDays(1) }, admin: true);
        var noUntil = await api.PostAsync($"/api/v1/admin/users/{voter.UserId}/travel", new { }, admin: true);
        var badUntil = await api.SendAsync(HttpMethod.Post, $"/api/v1/admin/users/{voter.UserId}/travel", """{"until": "next tuesday"}""", admin: true);
        var tooFar = await api.PostAsync($"/api/v1/admin/users/{voter.UserId}/travel", new { until = DateTimeOffset.UtcNow.AddYears(2) }, admin: true);

        Assert.Equal(401, noKey.Code);
        Assert.Equal((404, "USER_NOT_FOUND"), (unknownVoter.Code, unknownVoter.ErrorCode));
        Assert.Equal((400, "INVALID_REQUEST"), (noUntil.Code, noUntil.ErrorCode));
        Assert.Equal((400, "INVALID_REQUEST"), (badUntil.Code, badUntil.ErrorCode));
        Assert.Equal((400, "INVALID_REQUEST"), (tooFar.Code, tooFar.ErrorCode));
    }

    [Fact]
    public async Task A_review_of_a_frozen_episode_cannot_be_voided()
    {
        await using var server = await StartAsync();
        var api = server.Api;
        var e = await api.OpenEpisodeAsync();
        var farm = From(server, Proxy);
        var voter = await farm.SignInAsync();
        Assert.Equal(HttpStatusCode.OK, (await Vote(farm, voter.Token, e.Contestants[0], location: "48.8566,2.3522")).Status);
        var review = Assert.Single(await ReviewsAsync(api, e.EpisodeId)).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/admin/episodes/{e.EpisodeId}/voting/close", new { }, admin: true)).Status);
        await SmsTestHost.EventuallyAsync(async () =>
            (await api.GetAsync($"/api/v1/xfactor/show/{e.EpisodeId}")).Data.GetProperty("state").GetString() == "RESULTS_READY", "results ready");

        var frozen = await api.PostAsync($"/api/v1/admin/fraud/reviews/{review}/void", new { reason = "too late" }, admin: true);

        Assert.Equal((409, "RESULTS_FROZEN"), (frozen.Code, frozen.ErrorCode));
        Assert.Equal("open", Assert.Single(await ReviewsAsync(api, e.EpisodeId)).GetProperty("status").GetString());
        Assert.Equal(1, await VotesFor(api, e.EpisodeId, e.Contestants[0]));
    }

    [Theory]
    [InlineData("proxies", "127.0.0.0/33", 2)]
    [InlineData("geo", "2130706432,2130706559,KHM", 1)]
    [InlineData("geo", "127.0.0.9,127.0.0.1,KH", 1)]
    public async Task An_unparseable_ranges_file_line_stops_the_start_naming_the_file_and_line(string which, string bad, int line)
    {
        var file = Path.Combine(_dir, which + ".txt");
        File.WriteAllLines(file, line == 2 ? ["# comment", bad] : [bad]);
        var key = which == "geo" ? "Fraud:GeoRangesFile" : "Fraud:ProxyRangesFile";

        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var server = await VotingTestServer.StartAsync(kind, settings: new Dictionary<string, string?> { [key] = file });
        });

        var message = error.ToString();
        Assert.Contains($"{file}, line {line}", message, StringComparison.Ordinal);
    }
}

public sealed class SqliteFraudTests() : FraudTests(StoreKind.Sqlite);

public sealed class PostgresFraudTests() : FraudTests(StoreKind.Postgres);
