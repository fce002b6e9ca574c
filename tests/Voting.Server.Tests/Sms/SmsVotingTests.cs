using Voting.Domain.Sms;
using Voting.Domain.Voting;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Sms;

/// <summary>What texters are told and what operators see: refusal replies, late texts, new voters, sign-in codes, the SMS view.</summary>
public abstract class SmsVotingTests(StoreKind kind)
{
    public static TheoryData<string> Carriers => new(SmsDriver.Carriers);

    [Fact]
    public async Task TheFiftyFirstSmsVoteOfTheDayIsRefusedWithTheLimitReply()
    {
        // A stopped clock, so the Phnom Penh day cannot turn over (and reset the limit) mid-test.
        await using var host = await SmsTestHost.StartAsync(kind, time: new ManualClock(DateTimeOffset.UtcNow));
        var e = await host.Api.OpenEpisodeAsync();
        var phone = SmsDriver.NewPhone("smart");
        for (var i = 0; i < 5; i++) Assert.True((await host.Sms.TextAsync("smart", phone, "VOTE 1 10")).Processed);

        var fiftyFirst = await host.Sms.TextAsync("smart", phone, "VOTE 2");

        Assert.Equal(200, fiftyFirst.Code);
        Assert.False(fiftyFirst.Processed);
        var reply = await host.Carrier.WaitForAsync(r => r.To == phone && r.Message?.Contains("at most 50", StringComparison.Ordinal) == true, what: "(limit reply)");
        Assert.Equal(SmsReplies.Refused(VoteRefusal.SmsLimitExceeded, 0).Reply, reply.Message);
        Assert.Equal(50, (await host.Api.AuditAsync(e.EpisodeId)).GetProperty("ledger_votes").GetInt64());
    }

    [Fact]
    public async Task CountedTextsReachTheLiveResultsWatchers()
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        var e = await host.Api.OpenEpisodeAsync(contestants: 2);
        await using var ws = await LiveWatcher.WebSocketAsync(host.Server.Address, e.EpisodeId);

        Assert.True((await host.Sms.TextAsync("smart", SmsDriver.NewPhone("smart"), "VOTE 2 3")).Processed);
        Assert.True((await host.Sms.TextAsync("metfone", SmsDriver.NewPhone("metfone"), "VOTE 2 4")).Processed);

        var live = await ws.NextAsync(m => m.Type == "LIVE_RESULTS" && m.Data.GetProperty("total_votes").GetInt64() == 7);
        var first = live.Data.GetProperty("results")[0];
        Assert.Equal(e.Contestants[1], first.GetProperty("contestant_id").GetInt64());
        Assert.Equal(7, first.GetProperty("votes").GetInt64());
        Assert.Equal(7, (await host.Api.AuditAsync(e.EpisodeId)).GetProperty("ledger_votes").GetInt64());
    }

    [Fact]
    public async Task AClosedWindowGetsTheClosedReply()
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        var e = await host.Api.OpenEpisodeAsync();
        var close = await host.Api.PostAsync($"/api/v1/admin/episodes/{e.EpisodeId}/voting/close", new { }, admin: true);
        Assert.Equal(200, close.Code);
        var phone = SmsDriver.NewPhone("cellcard");

        var answer = await host.Sms.TextAsync("cellcard", phone, "VOTE 1", receivedAt: DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds());

        Assert.Equal(200, answer.Code);
        Assert.False(answer.Processed);
        Assert.Equal(SmsReplies.Closed.Reply, (await host.Carrier.SmsToAsync(phone)).Reply);
        Assert.Equal(0, await host.Database.CountRowsAsync("votes"));
        Assert.Equal(0, await host.Database.CountRowsAsync("carrier_charges"));
    }

    [Fact]
    public async Task AnUnknownBallotNumberGetsTheNotFoundReply()
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        await host.Api.OpenEpisodeAsync(contestants: 3);
        var phone = SmsDriver.NewPhone("metfone");

        var answer = await host.Sms.TextAsync("metfone", phone, "VOTE 7");
        var junk = await host.Sms.TextAsync("metfone", phone, "VOTE 1 2 3");

        Assert.False(answer.Processed);
        Assert.False(junk.Processed);
        var replies = await host.RepliesToAsync(phone, 2);
        Assert.Contains(SmsReplies.NotFound.Reply, replies);
        Assert.Contains(SmsVoteParser.InvalidFormatReply, replies);
        Assert.Equal(0, await host.Database.CountRowsAsync("votes"));
    }

    [Fact]
    public async Task ATextTheCarrierReceivedBeforeTheCloseStillCountsWhenItReachesUsAfterIt()
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        var e = await host.Api.OpenEpisodeAsync();
        await Task.Delay(1100); // so the window is more than a second long
        var close = await host.Api.PostAsync($"/api/v1/admin/episodes/{e.EpisodeId}/voting/close", new { }, admin: true);
        var end = close.Data.GetProperty("voting_end").GetDateTimeOffset();

        var late = await host.Sms.TextAsync("smart", SmsDriver.NewPhone("smart"), "VOTE 1", receivedAt: end.AddSeconds(-1).ToString("o"));
        var after = await host.Sms.TextAsync("smart", SmsDriver.NewPhone("smart"), "VOTE 1", receivedAt: end.AddSeconds(1).ToString("o"));

        Assert.True(late.Processed, late.Body);
        Assert.False(after.Processed);
        Assert.Equal(1, (await host.SmsStatsAsync(e.EpisodeId, "smart")).GetProperty("late_admitted").GetInt64());
    }

    [Fact]
    public async Task OperatorsSeeMessagesVotesRefusalsChargesAndRevenuePerCarrier()
    {
        await using var host = await SmsTestHost.StartAsync(kind, new Dictionary<string, string?> { ["Sms:Metfone:PricePerVote"] = "0.30" });
        var e = await host.Api.OpenEpisodeAsync(contestants: 3);
        Assert.True((await host.Sms.TextAsync("smart", SmsDriver.NewPhone("smart"), "VOTE 1 2")).Processed);
        // A Cellcard number delivered through Smart: counted, flagged, billed by Smart.
        Assert.True((await host.Sms.TextAsync("smart", SmsDriver.NewPhone("cellcard"), "VOTE 2")).Processed);
        Assert.False((await host.Sms.TextAsync("cellcard", SmsDriver.NewPhone("cellcard"), "hello")).Processed);
        Assert.True((await host.Sms.TextAsync("metfone", SmsDriver.NewPhone("metfone"), "VOTE 3 4")).Processed);
        await SmsTestHost.EventuallyAsync(async () => (await host.SmsStatsAsync(e.EpisodeId, null)).GetProperty("carriers").EnumerateArray()
            .All(c => c.GetProperty("charges").GetProperty("pending").GetInt64() == 0), "every charge to be answered");

        var view = await host.Api.GetAsync($"/api/v1/admin/episodes/{e.EpisodeId}/sms", admin: true);
        var unauthorized = await host.Api.GetAsync($"/api/v1/admin/episodes/{e.EpisodeId}/sms");
        var missing = await host.Api.GetAsync("/api/v1/admin/episodes/999999/sms", admin: true);

        var carriers = view.Data.GetProperty("carriers").EnumerateArray().ToDictionary(c => c.GetProperty("carrier").GetString()!);
        Assert.Equal(["smart", "cellcard", "metfone"], carriers.Keys);
        var smart = carriers["smart"];
        Assert.Equal((2L, 2L, 3L, 1L, 2L), (smart.GetProperty("messages").GetInt64(), smart.GetProperty("counted").GetInt64(), smart.GetProperty("votes").GetInt64(),
            smart.GetProperty("carrier_mismatches").GetInt64(), smart.GetProperty("charges").GetProperty("confirmed").GetInt64()));
        Assert.Equal(0.75m, smart.GetProperty("revenue").GetDecimal());
        var refusal = Assert.Single(carriers["cellcard"].GetProperty("refusals").EnumerateArray());
        Assert.Equal(("INVALID_FORMAT", 1L), (refusal.GetProperty("reason").GetString(), refusal.GetProperty("count").GetInt64()));
        Assert.Equal((1L, 0L, 0L), (carriers["cellcard"].GetProperty("messages").GetInt64(), carriers["cellcard"].GetProperty("votes").GetInt64(),
            carriers["cellcard"].GetProperty("charges").GetProperty("confirmed").GetInt64()));
        Assert.Equal((4L, 1.20m), (carriers["metfone"].GetProperty("votes").GetInt64(), carriers["metfone"].GetProperty("revenue").GetDecimal()));
        Assert.Equal((4L, 7L, 1.95m, "USD"), (view.Data.GetProperty("messages").GetInt64(), view.Data.GetProperty("votes").GetInt64(),
            view.Data.GetProperty("revenue").GetDecimal(), view.Data.GetProperty("currency").GetString()));
        ApiAssert.Error(unauthorized, 401, "UNAUTHORIZED");
        ApiAssert.Error(missing, 404, "EPISODE_NOT_FOUND");
    }

    [Theory]
    [MemberData(nameof(Carriers))]
    public async Task SignInCodesGoToTheCarrierOfThePhonesPrefix(string carrier)
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        var phone = SmsDriver.NewPhone(carrier);

        var otp = await host.Api.PostAsync("/api/v1/auth/otp", new { phone_number = phone });

        var sms = await host.Carrier.SmsToAsync(phone);
        Assert.Equal(carrier, sms.Carrier);
        Assert.Contains(otp.Data.GetProperty("dev_code").GetString()!, sms.Message, StringComparison.Ordinal);
        Assert.StartsWith("otp-", sms.IdempotencyKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFirstTimeTexterBecomesAVoterWhoseVotesShowWhenTheySignIn()
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        var e = await host.Api.OpenEpisodeAsync();
        var phone = SmsDriver.NewPhone("smart");
        Assert.True((await host.Sms.TextAsync("smart", phone, "VOTE 2")).Processed);

        var voter = await host.Api.SignInAsync(phone);

        var history = await host.Api.GetAsync("/api/v1/xfactor/voting/history", voter.Token);
        var vote = Assert.Single(history.Data.GetProperty("votes").EnumerateArray());
        Assert.Equal(("sms", e.Contestants[1]), (vote.GetProperty("vote_type").GetString(), vote.GetProperty("contestant").GetProperty("id").GetInt64()));
        Assert.Equal(1, await host.Database.CountAsync("SELECT COUNT(*) FROM voters WHERE phone = $1 AND phone_verified_at IS NOT NULL", phone));
    }
}

public sealed class SqliteSmsVotingTests() : SmsVotingTests(StoreKind.Sqlite);

public sealed class PostgresSmsVotingTests() : SmsVotingTests(StoreKind.Postgres);
