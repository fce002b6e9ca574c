using System.Net;
using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Voids;

/// <summary>Operator voids: compensating rows that take votes out of every count, with or without a refund.</summary>
public abstract class VoidTests(StoreKind kind)
{
    private const string VoidPath = "/api/v1/admin/votes/void";

    private static Task<ApiAnswer> VoidAsync(ApiDriver api, object body, string? key = null) =>
        api.PostAsync(VoidPath, body, admin: true, headers: key is null ? null : new Dictionary<string, string> { ["Idempotency-Key"] = key });

    private static async Task<JsonElement> VoidOkAsync(ApiDriver api, object body, string? key = null)
    {
        var a = await VoidAsync(api, body, key);
        Assert.True(a.Status == HttpStatusCode.OK, $"void refused: {a.Code} {a.ErrorCode} {a.Body}");
        return a.Data;
    }

    private static async Task<JsonElement> StatusAsync(ApiDriver api, string token) =>
        (await api.GetAsync("/api/v1/xfactor/voting/current_episode", token)).Data.GetProperty("user_voting_status");

    /// <summary>A voter who cast 2 free, 3 paid (of 10 credited), 2 bundle (of 5 granted) and 1 app SMS vote for the first contestant.</summary>
    private static async Task<(TestEpisode Episode, SignedIn Voter, long[] VoteIds)> FourKindsAsync(ApiDriver api)
    {
        var e = await api.OpenEpisodeAsync();
        var voter = await api.SignInAsync();
        await api.CreditAsync(voter.UserId, 10);
        await api.GrantBundleAsync(voter.UserId, 5);
        var ids = new List<long>();
        foreach (var (type, count) in new[] { ("free", 2), ("paid", 3), ("bundle", 2), ("sms", 1) })
            ids.Add((await api.VoteOkAsync(voter.Token, e.Contestants[0], type, count)).GetProperty("vote_id").GetInt64());
        return (e, voter, ids.ToArray());
    }

    [Fact]
    public async Task AVoidWithoutRefundTakesTheVotesOutOfEveryCountAndGivesNothingBack()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var (e, voter, ids) = await FourKindsAsync(api);
        var other = await api.SignInAsync();
        await api.VoteOkAsync(other.Token, e.Contestants[1], "free", 4);
        var before = await api.AuditAsync(e.EpisodeId);

        var done = await VoidOkAsync(api, new { episode_id = e.EpisodeId, reason = "scripted voting", refund = false, voter_id = voter.UserId });

        Assert.Equal((4, 8, 0), (done.GetProperty("rows_voided").GetInt64(), done.GetProperty("votes_voided").GetInt64(), done.GetProperty("already_voided").GetInt64()));
        Assert.Equal(4, await TotalAsync(api, e.EpisodeId));
        var audit = await api.AuditAsync(e.EpisodeId);
        Assert.True(audit.GetProperty("consistent").GetBoolean(), audit.ToString());
        Assert.Equal((4L, 4L, 8L, 5L), (audit.GetProperty("ledger_votes").GetInt64(), audit.GetProperty("tally_votes").GetInt64(),
            audit.GetProperty("voided_votes").GetInt64(), audit.GetProperty("vote_rows").GetInt64()));
        Assert.NotEqual(before.GetProperty("digest").GetString(), audit.GetProperty("digest").GetString());
        // Nothing given back: the wallet, the bundle, the free allowance and today's SMS votes stay spent.
        var balance = await api.BalanceAsync(voter.Token);
        Assert.Equal((7L, 3L), (balance.GetProperty("balance").GetInt64(), balance.GetProperty("bundle_votes").GetInt64()));
        Assert.Equal(0, balance.GetProperty("loyalty_points").GetInt64());
        var status = await StatusAsync(api, voter.Token);
        Assert.Equal((3L, 0L, 0L), (status.GetProperty("free_votes_remaining").GetInt64(), status.GetProperty("paid_votes_cast").GetInt64(),
            status.GetProperty("total_votes_cast").GetInt64()));
        var history = (await api.GetAsync("/api/v1/xfactor/voting/history", voter.Token)).Data.GetProperty("votes").EnumerateArray().ToList();
        Assert.Equal(ids.Reverse(), history.Select(h => h.GetProperty("id").GetInt64()));
        Assert.All(history, h => Assert.Equal("voided", h.GetProperty("status").GetString()));
        var otherHistory = (await api.GetAsync("/api/v1/xfactor/voting/history", other.Token)).Data.GetProperty("votes");
        Assert.Equal("counted", otherHistory[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task AVoidWithRefundGivesBackExactlyWhatEachVoteSpentAndQueuesTheCarrierRefund()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var (e, voter, ids) = await FourKindsAsync(api);

        var done = await VoidOkAsync(api, new { episode_id = e.EpisodeId, reason = "double charged", refund = true, vote_ids = ids });

        Assert.Equal((4L, 8L), (done.GetProperty("rows_voided").GetInt64(), done.GetProperty("votes_voided").GetInt64()));
        var balance = await api.BalanceAsync(voter.Token);
        Assert.Equal((10L, 5L), (balance.GetProperty("balance").GetInt64(), balance.GetProperty("bundle_votes").GetInt64()));
        var status = await StatusAsync(api, voter.Token);
        Assert.Equal((5L, 0L), (status.GetProperty("free_votes_remaining").GetInt64(), status.GetProperty("total_votes_cast").GetInt64()));
        // The allowances given back can be spent again, to the limit and no further.
        await api.VoteOkAsync(voter.Token, e.Contestants[1], "free", 5);
        await api.VoteOkAsync(voter.Token, e.Contestants[1], "bundle", 5);
        await api.VoteOkAsync(voter.Token, e.Contestants[1], "paid", 10);
        Assert.Equal("FREE_VOTE_LIMIT_EXCEEDED", (await api.VoteAsync(voter.Token, e.Contestants[1], "free")).ErrorCode);
        // The charge's refund is queued once the carrier (here the Development log) has confirmed the charge.
        var refunds = new List<JsonElement>();
        await WaitForAsync(async () =>
        {
            refunds.Clear();
            foreach (var s in new[] { "pending", "delivered", "dead" })
                refunds.AddRange((await api.GetAsync($"/api/v1/admin/outbox?status={s}&kind=refund", admin: true)).Data.GetProperty("entries").EnumerateArray());
            return refunds.Count > 0;
        });
        Assert.Equal($"refund:{ids[3]}", Assert.Single(refunds).GetProperty("idempotency_key").GetString());
        Assert.True((await api.AuditAsync(e.EpisodeId)).GetProperty("consistent").GetBoolean());
    }

    [Fact]
    public async Task ATextVoteVoidedWithRefundSendsItsCarrierARefundOfTheChargeOnce()
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        var e = await host.Api.OpenEpisodeAsync();
        var phone = SmsDriver.NewPhone("smart");
        Assert.True((await host.Sms.TextAsync("smart", phone, "VOTE 2 3")).Processed);
        var charge = await host.Carrier.WaitForAsync(r => r.Kind == "charge" && r.To == phone && r.Status == 200, what: "(charge)");
        var history = await host.Database.QueryAsync("SELECT id, voter_id FROM votes WHERE episode_id = $1", e.EpisodeId);
        var (vote, voter) = (Convert.ToInt64(history[0][0]), Convert.ToInt64(history[0][1]));

        var done = await VoidOkAsync(host.Api, new { episode_id = e.EpisodeId, reason = "charged for a broken line", refund = true, voter_id = voter });
        var again = await VoidOkAsync(host.Api, new { episode_id = e.EpisodeId, reason = "charged for a broken line", refund = true, vote_ids = new[] { vote } });

        var refund = await host.Carrier.WaitForAsync(r => r.Kind == "refund" && r.To == phone && r.Status == 200, what: "(refund)");
        Assert.Equal((1L, 0L, 1L), (done.GetProperty("rows_voided").GetInt64(), again.GetProperty("rows_voided").GetInt64(), again.GetProperty("already_voided").GetInt64()));
        Assert.Equal(charge.IdempotencyKey, refund.Body.GetProperty("charge_idempotency_key").GetString());
        Assert.Equal($"refund:{vote}", refund.IdempotencyKey);
        Assert.Equal(0.75m, refund.Body.GetProperty("amount").GetDecimal());
        await Task.Delay(500);
        Assert.Single(host.Carrier.Requests, r => r.Kind == "refund");
        var sms = await host.Database.QueryAsync("SELECT used FROM voter_daily_sms WHERE voter_id = $1", voter);
        Assert.Equal(0L, Convert.ToInt64(sms[0][0]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ACarrierRefundWaitsForAPendingChargeAndIsOwedNothingIfTheChargeIsDeclined(bool declined)
    {
        await using var host = await SmsTestHost.StartAsync(kind, new Dictionary<string, string?> { ["Outbox:FirstRetryMilliseconds"] = "200" });
        var e = await host.Api.OpenEpisodeAsync();
        host.Carrier.FailOnlyKind = "charge";
        host.Carrier.FailAll = true;
        var phone = SmsDriver.NewPhone("smart");
        Assert.True((await host.Sms.TextAsync("smart", phone, "VOTE 1")).Processed);
        await host.Carrier.WaitForAsync(r => r.Kind == "charge" && r.To == phone && r.Status != 200, what: "(a failed charge)");
        var voter = Convert.ToInt64((await host.Database.QueryAsync("SELECT voter_id FROM votes WHERE episode_id = $1", e.EpisodeId))[0][0]);

        await VoidOkAsync(host.Api, new { episode_id = e.EpisodeId, reason = "refund", refund = true, voter_id = voter });
        await Task.Delay(500);
        Assert.DoesNotContain(host.Carrier.Requests, r => r.Kind == "refund");
        host.Carrier.DeclineCharges = declined;
        host.Carrier.FailAll = false;
        await host.Carrier.WaitForAsync(r => r.Kind == "charge" && r.To == phone && r.Status == 200, what: "(the charge answered)");

        if (declined)
        {
            await Task.Delay(1000);
            Assert.DoesNotContain(host.Carrier.Requests, r => r.Kind == "refund");
        }
        else
        {
            var refund = await host.Carrier.WaitForAsync(r => r.Kind == "refund" && r.To == phone && r.Status == 200, what: "(the owed refund)");
            Assert.StartsWith("refund:", refund.IdempotencyKey, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ARowIsVoidedOnceAndTheSameKeyAnswersTheFirstVoidAgain()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var (e, voter, ids) = await FourKindsAsync(api);
        var body = new { episode_id = e.EpisodeId, reason = "refund", refund = true, vote_ids = new[] { ids[1] } };

        var first = await VoidOkAsync(api, body, key: "void-1");
        var again = await VoidOkAsync(api, body, key: "void-1");
        var secondKey = await VoidOkAsync(api, new { episode_id = e.EpisodeId, reason = "refund", refund = true, vote_ids = new[] { ids[1], ids[0] } });

        var otherBody = await VoidAsync(api, new { episode_id = e.EpisodeId, reason = "refund", refund = false, vote_ids = new[] { ids[2] } }, key: "void-1");

        Assert.Equal(first.GetRawText(), again.GetRawText());
        Assert.Equal((409, "IDEMPOTENCY_KEY_REUSED"), (otherBody.Code, otherBody.ErrorCode));
        Assert.Equal((1L, 1L), (secondKey.GetProperty("rows_voided").GetInt64(), secondKey.GetProperty("already_voided").GetInt64()));
        Assert.Equal(10, (await api.BalanceAsync(voter.Token)).GetProperty("balance").GetInt64()); // refunded once, not twice
        var audit = await api.AuditAsync(e.EpisodeId);
        Assert.Equal(5, audit.GetProperty("voided_votes").GetInt64());
        Assert.True(audit.GetProperty("consistent").GetBoolean());
    }

    [Fact]
    public async Task DeviceAndIpSelectTheEpisodesVotesFromThatDeviceOrAddressOnly()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var e = await api.OpenEpisodeAsync();
        var a = await api.SignInAsync();
        var b = await api.SignInAsync();
        async Task VoteFromAsync(SignedIn voter, string device, int count)
        {
            var answer = await api.PostAsync(ApiDriver.CastVotePath, new { contestant_id = e.Contestants[0], vote_type = "free", vote_count = count },
                voter.Token, headers: new Dictionary<string, string> { ["X-Device-ID"] = device });
            Assert.Equal(HttpStatusCode.OK, answer.Status);
        }
        await VoteFromAsync(a, "shared-phone", 2);
        await VoteFromAsync(b, "shared-phone", 1);
        await VoteFromAsync(b, "own-phone", 3);

        var byDevice = await VoidOkAsync(api, new { episode_id = e.EpisodeId, reason = "one device, two voters", device_id = "shared-phone" });
        Assert.Equal((2L, 3L), (byDevice.GetProperty("rows_voided").GetInt64(), byDevice.GetProperty("votes_voided").GetInt64()));
        Assert.Equal(3, await TotalAsync(api, e.EpisodeId));

        var byIp = await VoidOkAsync(api, new { episode_id = e.EpisodeId, reason = "one address", ip = "127.0.0.1" });
        Assert.Equal((1L, 3L, 2L), (byIp.GetProperty("rows_voided").GetInt64(), byIp.GetProperty("votes_voided").GetInt64(), byIp.GetProperty("already_voided").GetInt64()));
        Assert.Equal(0, await TotalAsync(api, e.EpisodeId));
        var none = await VoidOkAsync(api, new { episode_id = e.EpisodeId, reason = "nobody", ip = "::1" });
        Assert.Equal(0, none.GetProperty("rows_voided").GetInt64());
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"reason":"x","voter_id":1}""", "episode_id" },
        { """{"episode_id":EP,"voter_id":1}""", "reason" },
        { """{"episode_id":EP,"reason":"   ","voter_id":1}""", "reason" },
        { """{"episode_id":EP,"reason":"LONG","voter_id":1}""", "reason" },
        { """{"episode_id":EP,"reason":"x"}""", "vote_ids" },
        { """{"episode_id":EP,"reason":"x","voter_id":1,"ip":"127.0.0.1"}""", "'voter_id' and 'ip'" },
        { """{"episode_id":EP,"reason":"x","vote_ids":[]}""", "vote_ids" },
        { """{"episode_id":EP,"reason":"x","vote_ids":[0]}""", "vote_ids" },
        { """{"episode_id":EP,"reason":"x","ip":"not-an-ip"}""", "ip" },
        { """{"episode_id":EP,"reason":"x","device_id":""}""", "device_id" },
        { """{"episode_id":EP,"reason":"x","voter_id":1,"refund":"yes"}""", "refund" },
        { """{"episode_id":EP,"reason":"x","vote_ids":[OTHER]}""", "vote_ids" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task ABadVoidIs400NamingTheFieldAndChangesNothing(string template, string named)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var earlier = await api.OpenEpisodeAsync();
        var elsewhere = (await api.VoteOkAsync((await api.SignInAsync()).Token, earlier.Contestants[0])).GetProperty("vote_id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/admin/episodes/{earlier.EpisodeId}/voting/close", new { }, admin: true)).Status);
        var (e, voter, _) = await FourKindsAsync(api);
        var before = await api.SnapshotAsync(e.EpisodeId, voter.Token);
        var json = template.Replace("EP", e.EpisodeId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("LONG", new string('x', 501), StringComparison.Ordinal)
            .Replace("OTHER", elsewhere.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        var answer = await api.SendAsync(HttpMethod.Post, VoidPath, json, admin: true);

        Assert.Equal((400, "INVALID_REQUEST"), (answer.Code, answer.ErrorCode));
        Assert.Contains(named, answer.Body.GetProperty("errors")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await api.SnapshotAsync(e.EpisodeId, voter.Token));
        Assert.Equal(0, (await api.AuditAsync(e.EpisodeId)).GetProperty("voided_votes").GetInt64());
    }

    [Fact]
    public async Task AnUnknownEpisodeIs404AndFrozenResultsAre409AndNothingIsWritten()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var (e, voter, ids) = await FourKindsAsync(api);

        var unknown = await VoidAsync(api, new { episode_id = 999_999, reason = "x", voter_id = voter.UserId });
        var noKey = await VoidAsync(api, new { episode_id = e.EpisodeId, reason = "x", voter_id = voter.UserId }, key: new string('k', 65));
        var unauthorized = await api.PostAsync(VoidPath, new { episode_id = e.EpisodeId, reason = "x", voter_id = voter.UserId });
        var close = await api.PostAsync($"/api/v1/admin/episodes/{e.EpisodeId}/voting/close", new { }, admin: true);
        Assert.Equal(HttpStatusCode.OK, close.Status);
        await WaitForAsync(async () => (await api.GetAsync($"/api/v1/xfactor/show/{e.EpisodeId}")).Data.GetProperty("state").GetString() == "RESULTS_READY");
        var before = await api.SnapshotAsync(e.EpisodeId, voter.Token);
        var frozen = await VoidAsync(api, new { episode_id = e.EpisodeId, reason = "too late", refund = true, vote_ids = ids });

        Assert.Equal((404, "EPISODE_NOT_FOUND"), (unknown.Code, unknown.ErrorCode));
        Assert.Equal((400, "INVALID_REQUEST"), (noKey.Code, noKey.ErrorCode));
        Assert.Equal(401, unauthorized.Code);
        Assert.Equal((409, "RESULTS_FROZEN"), (frozen.Code, frozen.ErrorCode));
        Assert.Equal(before, await api.SnapshotAsync(e.EpisodeId, voter.Token));
        Assert.Equal(8, await TotalAsync(api, e.EpisodeId));
    }

    [Fact]
    public async Task TheLiveResultsFollowAVoidWithinTwoSeconds()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var (e, voter, _) = await FourKindsAsync(api);
        await using var watcher = await LiveWatcher.WebSocketAsync(server.Address, e.EpisodeId);
        await watcher.NextAsync(m => m.Type == "LIVE_RESULTS" && m.Data.GetProperty("total_votes").GetInt64() == 8);

        await VoidOkAsync(api, new { episode_id = e.EpisodeId, reason = "fraud", voter_id = voter.UserId });

        var live = await watcher.NextAsync(m => m.Type == "LIVE_RESULTS" && m.Data.GetProperty("total_votes").GetInt64() == 0, TimeSpan.FromSeconds(2));
        Assert.All(live.Data.GetProperty("results").EnumerateArray(), r => Assert.Equal(0, r.GetProperty("votes").GetInt64()));
    }

    [Fact]
    public async Task VoidsDuringConcurrentVotesOfTheSameVoterNeitherOverspendNorRefundTwice()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var e = await api.OpenEpisodeAsync();
        var voter = await api.SignInAsync();
        const int credit = 45;
        await api.CreditAsync(voter.UserId, credit);

        // 90 requests: under the 100 a minute one voter may send.
        var votes = Task.WhenAll(Enumerable.Range(0, 90).Select(i => api.VoteAsync(voter.Token, e.Contestants[i % 3], "paid", 1, key: $"v{i}")));
        var voids = Task.Run(async () =>
        {
            for (var i = 0; i < 15; i++)
                await VoidOkAsync(api, new { episode_id = e.EpisodeId, reason = "refund while voting", refund = true, voter_id = voter.UserId });
        });
        var answers = await votes;
        await voids;
        var last = await VoidOkAsync(api, new { episode_id = e.EpisodeId, reason = "refund the rest", refund = true, voter_id = voter.UserId });

        var accepted = answers.Count(a => a.Status == HttpStatusCode.OK);
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), a => Assert.Equal("INSUFFICIENT_VOTE_BALANCE", a.ErrorCode));
        Assert.True(accepted >= credit, $"only {accepted} of 90 accepted with refunds going on");
        // Every accepted vote was voided with a refund exactly once: the whole credit is back, nothing counts.
        Assert.Equal(credit, (await api.BalanceAsync(voter.Token)).GetProperty("balance").GetInt64());
        var audit = await api.AuditAsync(e.EpisodeId);
        Assert.Equal((0L, (long)accepted, (long)accepted), (audit.GetProperty("ledger_votes").GetInt64(), audit.GetProperty("voided_votes").GetInt64(),
            audit.GetProperty("vote_rows").GetInt64()));
        Assert.True(audit.GetProperty("consistent").GetBoolean(), audit.ToString());
        Assert.True(last.GetProperty("already_voided").GetInt64() + last.GetProperty("rows_voided").GetInt64() == accepted);
    }

    private static async Task<long> TotalAsync(ApiDriver api, long episode) =>
        (await api.ResultsAsync(episode)).GetProperty("vote_breakdown").GetProperty("total_votes").GetInt64();

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) Assert.Fail("condition not met within 10 s");
            await Task.Delay(50);
        }
    }
}

public sealed class SqliteVoidTests() : VoidTests(StoreKind.Sqlite);

public sealed class PostgresVoidTests() : VoidTests(StoreKind.Postgres);
