using System.Net;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Metrics;

/// <summary>/metrics: the service's figures move with what the server does, and only this server's.</summary>
public abstract class MetricsTests(StoreKind kind)
{
    private static readonly Dictionary<string, string?> Fresh = new() { ["Metrics:ScrapeCacheMilliseconds"] = "0", ["Metrics:OutboxPollSeconds"] = "1" };

    [Fact]
    public async Task VotesRefusalsLatencyAndBatchesMoveAsVotesAreCast()
    {
        await using var server = await VotingTestServer.StartAsync(kind, settings: Fresh);
        var api = server.Api;
        var e = await api.OpenEpisodeAsync();
        var voter = await api.SignInAsync();
        var before = await PrometheusScrape.OfAsync(server);
        Assert.Equal(0, before.Value("xfactor_votes_committed_total"));

        await api.VoteOkAsync(voter.Token, e.Contestants[0], "free", 2);
        await api.VoteOkAsync(voter.Token, e.Contestants[1], "free", 3);
        await api.CreditAsync(voter.UserId, 10);
        await api.VoteOkAsync(voter.Token, e.Contestants[0], "paid", 4);
        ApiAssert.Error(await api.VoteAsync(voter.Token, e.Contestants[0], "free"), 422, "FREE_VOTE_LIMIT_EXCEEDED");
        ApiAssert.Error(await api.VoteAsync(voter.Token, e.Contestants[0], "paid", 7), 422, "INSUFFICIENT_VOTE_BALANCE");
        ApiAssert.Error(await api.VoteAsync(voter.Token, e.Contestants[0], "gold"), 422, "INVALID_VOTE_TYPE");
        ApiAssert.Error(await api.VoteAsync(null, e.Contestants[0]), 401, "UNAUTHORIZED");

        var m = await PrometheusScrape.OfAsync(server);
        Assert.Equal(5, m.Value("xfactor_votes_committed_total", "type=free"));
        Assert.Equal(4, m.Value("xfactor_votes_committed_total", "type=paid"));
        Assert.Equal(0, m.Value("xfactor_votes_committed_total", "type=sms"));
        Assert.Equal((await api.AuditAsync(e.EpisodeId)).GetProperty("ledger_votes").GetInt64(), m.Value("xfactor_votes_committed_total"));
        Assert.Equal(1, m.Value("xfactor_votes_refused_total", "code=FREE_VOTE_LIMIT_EXCEEDED"));
        Assert.Equal(1, m.Value("xfactor_votes_refused_total", "code=INSUFFICIENT_VOTE_BALANCE"));
        Assert.Equal(1, m.Value("xfactor_votes_refused_total", "code=INVALID_VOTE_TYPE"));
        // The missing token is refused by authentication, before the handler and its measurement.
        Assert.Equal(3, m.Value("xfactor_votes_refused_total"));
        Assert.Equal(6, m.Value("xfactor_cast_vote_duration_seconds_count"));
        Assert.True(m.Value("xfactor_cast_vote_duration_seconds_sum") > 0);
        Assert.Equal(6, m.Value("xfactor_cast_vote_duration_seconds_bucket", "le=+Inf"));
        // Five commands reached the writer (the unknown vote type did not), however they were batched.
        Assert.Equal(5, m.Value("xfactor_vote_batch_size_sum"));
        Assert.InRange(m.Value("xfactor_vote_batch_size_count"), 1, 5);
        Assert.Equal(m.Value("xfactor_vote_batch_size_count"), m.Value("xfactor_vote_batch_commit_duration_seconds_count"));
        Assert.True(m.Has("xfactor_vote_writer_queue_depth"));
        Assert.Equal(0, m.Value("xfactor_vote_writer_queue_depth"));
        // ASP.NET Core's request and connection meters come along; its per-request routing and
        // rate-limiting meters (costly on the vote path) only when Metrics:AspNetCoreMeters names them.
        Assert.True(m.Has("http_server_request_duration_seconds_count"), m.Text);
        Assert.True(m.Has("kestrel_active_connections"), m.Text);
        Assert.False(m.Has("aspnetcore_routing_match_attempts_total"), m.Text);
        Assert.False(m.Has("aspnetcore_rate_limiting_requests_total"), m.Text);
    }

    [Fact]
    public async Task SmsCountersMoveByCarrierAndOutcomeAndARedeliveryCountsNothing()
    {
        await using var host = await SmsTestHost.StartAsync(kind, Fresh);
        var e = await host.Api.OpenEpisodeAsync();
        var id = SmsDriver.NewMessageId();
        var phone = SmsDriver.NewPhone("smart");

        Assert.True((await host.Sms.TextAsync("smart", phone, "VOTE 1 3", id)).Processed);
        Assert.True((await host.Sms.TextAsync("smart", phone, "VOTE 1 3", id)).Processed);
        Assert.False((await host.Sms.TextAsync("metfone", SmsDriver.NewPhone("metfone"), "hello")).Processed);

        var m = await PrometheusScrape.OfAsync(host.Server);
        Assert.Equal(1, m.Value("xfactor_sms_messages_total", "carrier=smart", "outcome=counted"));
        Assert.Equal(1, m.Value("xfactor_sms_messages_total", "carrier=metfone", "outcome=INVALID_FORMAT"));
        Assert.Equal(2, m.Value("xfactor_sms_messages_total"));
        Assert.Equal(3, m.Value("xfactor_votes_committed_total", "type=sms"));
        Assert.Equal(3, (await host.Api.AuditAsync(e.EpisodeId)).GetProperty("ledger_votes").GetInt64());
    }

    [Fact]
    public async Task TheConnectionsGaugeFollowsWatchersAndSentMessagesAreCounted()
    {
        await using var server = await VotingTestServer.StartAsync(kind, settings: Fresh);
        var e = await server.Api.CreateEpisodeAsync();
        Assert.Equal(0, (await PrometheusScrape.OfAsync(server)).Value("xfactor_live_connections"));

        var ws = await LiveWatcher.WebSocketAsync(server.Address, e.EpisodeId);
        await ws.NextAsync("LIVE_RESULTS");
        await using var sse = await LiveWatcher.SseAsync(server.Address, e.EpisodeId);
        await sse.NextAsync("LIVE_RESULTS");
        var open = await PrometheusScrape.UntilAsync(server, m => m.Value("xfactor_live_connections", "channel=websocket") == 1
            && m.Value("xfactor_live_connections", "channel=sse") == 1, "one WebSocket and one SSE connection");
        Assert.True(open.Value("xfactor_live_messages_sent_total", "channel=websocket") >= 2);
        Assert.True(open.Value("xfactor_live_messages_sent_total", "channel=sse") >= 2);

        await ws.DisposeAsync();
        await PrometheusScrape.UntilAsync(server, m => m.Value("xfactor_live_connections", "channel=websocket") == 0
            && m.Value("xfactor_live_connections", "channel=sse") == 1, "the WebSocket gone, the SSE stream still open");
    }

    [Fact]
    public async Task TheOutboxGaugesCountDeadLetters()
    {
        var settings = new Dictionary<string, string?>(Fresh) { ["Outbox:MaxAttempts"] = "1" };
        await using var host = await SmsTestHost.StartAsync(kind, settings);
        host.Carrier.FailAll = true;
        await host.Api.SignInAsync();
        await host.Api.SignInAsync();
        await SmsTestHost.EventuallyAsync(async () => await host.Database.CountAsync("SELECT COUNT(*) FROM outbox WHERE status = 'dead'") == 2,
            "the two sign-in codes to be dead letters");

        var m = await PrometheusScrape.UntilAsync(host.Server, m => m.Value("xfactor_outbox_rows", "status=dead") == 2, "two dead letters counted");
        Assert.Equal(await host.Database.CountAsync("SELECT COUNT(*) FROM outbox WHERE status = 'pending'"), m.Value("xfactor_outbox_rows", "status=pending"));
    }

    [Fact]
    public async Task ACreditedPurchaseCountsOnceWithItsRevenue()
    {
        await using var server = await VotingTestServer.StartAsync(kind, settings: Fresh);
        var voter = await server.Api.SignInAsync();
        var package = await server.Api.CreateAsync("/api/v1/admin/vote_packages", new { name = "Fan pack", vote_count = 20, price = 1.99m, currency = "USD" });
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "buy-1" };
        var body = new { platform = "test", package_id = package };

        Assert.Equal(200, (await server.Api.PostAsync("/api/v1/xfactor/purchases", body, voter.Token, headers: headers)).Code);
        Assert.True((await server.Api.PostAsync("/api/v1/xfactor/purchases", body, voter.Token, headers: headers)).Data.GetProperty("duplicate").GetBoolean());

        var m = await PrometheusScrape.OfAsync(server);
        Assert.Equal(1, m.Value("xfactor_purchases_total", "platform=test"));
        Assert.Equal(1.99, m.Value("xfactor_revenue_total", "platform=test", "currency=USD"), 6);
    }

    [Fact]
    public async Task AspNetCoreMetersNamedInTheSettingAreExported()
    {
        await using var server = await VotingTestServer.StartAsync(kind, settings: new Dictionary<string, string?>
        {
            ["Metrics:AspNetCoreMeters"] = "Microsoft.AspNetCore.Routing, Microsoft.AspNetCore.RateLimiting",
        });
        var e = await server.Api.OpenEpisodeAsync();
        var voter = await server.Api.SignInAsync();
        await server.Api.VoteOkAsync(voter.Token, e.Contestants[0]);

        var m = await PrometheusScrape.UntilAsync(server, s => s.Has("aspnetcore_routing_match_attempts_total"), "the routing meter");
        Assert.True(m.Has("aspnetcore_rate_limiting_requests_total"), m.Text);
        Assert.False(m.Has("http_server_request_duration_seconds_count"), m.Text);
        Assert.Equal(1, m.Value("xfactor_votes_committed_total", "type=free"));
    }

    [Fact]
    public async Task MetricsTurnedOffAnswer404AndVotingGoesOn()
    {
        await using var server = await VotingTestServer.StartAsync(kind, settings: new Dictionary<string, string?> { ["Metrics:Enabled"] = "false" });
        var e = await server.Api.OpenEpisodeAsync();
        var voter = await server.Api.SignInAsync();
        await server.Api.VoteOkAsync(voter.Token, e.Contestants[0]);

        var (status, _) = await server.Api.GetTextAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(1, (await server.Api.AuditAsync(e.EpisodeId)).GetProperty("ledger_votes").GetInt64());
    }

    [Fact]
    public async Task WithRequireApiKeyTheScrapeNeedsTheOperatorKey()
    {
        await using var server = await VotingTestServer.StartAsync(kind, settings: new Dictionary<string, string?> { ["Metrics:RequireApiKey"] = "true" });

        ApiAssert.Error(await server.Api.GetAsync("/metrics"), 401, "UNAUTHORIZED");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Add("X-Api-Key", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.SendAsync(request)).StatusCode);
        using var keyed = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        keyed.Headers.Add("X-Api-Key", VotingTestServer.AdminKey);
        using var answer = await server.Client.SendAsync(keyed);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains("xfactor_vote_writer_queue_depth", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoServersInOneProcessCountOnlyTheirOwnVotes()
    {
        await using var first = await VotingTestServer.StartAsync(kind, settings: Fresh);
        await using var second = await VotingTestServer.StartAsync(kind, settings: Fresh);
        var e = await first.Api.OpenEpisodeAsync();
        var voter = await first.Api.SignInAsync();
        await first.Api.VoteOkAsync(voter.Token, e.Contestants[0], "free", 2);

        Assert.Equal(2, (await PrometheusScrape.OfAsync(first)).Value("xfactor_votes_committed_total"));
        Assert.Equal(0, (await PrometheusScrape.OfAsync(second)).Value("xfactor_votes_committed_total"));
    }
}

public sealed class SqliteMetricsTests() : MetricsTests(StoreKind.Sqlite);

public sealed class PostgresMetricsTests() : MetricsTests(StoreKind.Postgres);
