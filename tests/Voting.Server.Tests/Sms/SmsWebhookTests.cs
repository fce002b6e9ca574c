using System.Text.Json;
using Voting.Domain.Sms;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Sms;

/// <summary>The three carriers' webhooks: authentication, formats, counting, replies and charges.</summary>
public abstract class SmsWebhookTests(StoreKind kind)
{
    public static TheoryData<string> Carriers => new(SmsDriver.Carriers);

    [Theory]
    [MemberData(nameof(Carriers))]
    public async Task EachWebhookWithAValidCredentialCountsTheVoteAndRepliesInItsFormat(string carrier)
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        var e = await host.Api.OpenEpisodeAsync(contestants: 3);
        var phone = SmsDriver.NewPhone(carrier);

        var answer = await host.Sms.TextAsync(carrier, phone, "VOTE 2 3");

        Assert.Equal(200, answer.Code);
        Assert.True(answer.Processed, answer.Body);
        Assert.Equal(carrier == "metfone" ? "application/xml" : "application/json", answer.ContentType);
        var results = await host.Api.ResultsAsync(e.EpisodeId);
        Assert.Equal(3, results.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("contestant_id").GetInt64() == e.Contestants[1]).GetProperty("votes").GetInt64());
        Assert.Equal(3, results.GetProperty("vote_breakdown").GetProperty("by_type").GetProperty("sms").GetInt64());
        var reply = await host.Carrier.SmsToAsync(phone);
        Assert.Equal((carrier, "1255"), (reply.Carrier, reply.Body.GetProperty("from").GetString()));
        Assert.Equal("Thanks! Your 3 vote(s) for Contestant 2 have been counted. You can send 47 more SMS vote(s) today.", reply.Message);
        Assert.Equal(reply.IdempotencyKey, reply.IdempotencyKeyHeader);
        var charge = await host.Carrier.WaitForAsync(r => r.Kind == "charge" && r.To == phone && r.Status == 200, what: "(charge)");
        Assert.Equal((carrier, 0.75m, "USD"), (charge.Carrier, charge.Body.GetProperty("amount").GetDecimal(), charge.Body.GetProperty("currency").GetString()));
        await SmsTestHost.EventuallyAsync(async () => (await StatsAsync(host, e.EpisodeId, carrier)).GetProperty("charges").GetProperty("confirmed").GetInt64() == 1,
            "the charge to be confirmed");
        Assert.True((await host.Api.AuditAsync(e.EpisodeId)).GetProperty("consistent").GetBoolean());
    }

    [Theory]
    [InlineData("smart", "wrong")]
    [InlineData("smart", "missing")]
    [InlineData("smart", "truncated")]
    [InlineData("smart", "of another body")]
    [InlineData("cellcard", "wrong")]
    [InlineData("cellcard", "missing")]
    [InlineData("cellcard", "truncated")]
    [InlineData("metfone", "wrong")]
    [InlineData("metfone", "missing")]
    [InlineData("metfone", "truncated")]
    public async Task AWrongMissingOrTruncatedCredentialIs401AndWritesNothing(string carrier, string how)
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        await host.Api.OpenEpisodeAsync();
        var before = await host.RowsAsync();
        var fields = SmsDriver.Fields(carrier, SmsDriver.NewPhone(carrier), "VOTE 1", SmsDriver.NewMessageId(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        string? credential = null;
        switch (carrier, how)
        {
            case ("cellcard", "missing"): fields.Remove("api_token"); break;
            case ("cellcard", "wrong"): fields["api_token"] = "not-the-token"; break;
            case ("cellcard", _): fields["api_token"] = FakeCarrier.CellcardToken[..^1]; break;
            case ("metfone", "missing"): credential = ""; break;
            case ("metfone", "wrong"): credential = "not-the-key"; break;
            case ("metfone", _): credential = FakeCarrier.MetfoneKey[..^1]; break;
        }
        var body = JsonSerializer.Serialize(fields);
        if (carrier == "smart")
        {
            credential = how switch
            {
                "missing" => "",
                "wrong" => SmsDriver.Sign(body, "not-the-secret"),
                "truncated" => SmsDriver.Sign(body)[..63],
                _ => SmsDriver.Sign(body + " "),
            };
        }

        var answer = await host.Sms.PostAsync(carrier, body, credential: credential);

        Assert.Equal(401, answer.Code);
        Assert.True(answer.IsCarriersNo, answer.Body);
        Assert.Equal(before, await host.RowsAsync());
    }

    [Fact]
    public async Task AWebhookWhoseCredentialIsNotConfiguredRefusesEveryDelivery()
    {
        await using var host = await SmsTestHost.StartAsync(kind, new Dictionary<string, string?> { ["Sms:Metfone:ApiKey"] = null });
        await host.Api.OpenEpisodeAsync();

        var metfone = await host.Sms.TextAsync("metfone", SmsDriver.NewPhone("metfone"), "VOTE 1");
        var empty = await host.Sms.PostAsync("metfone", JsonSerializer.Serialize(SmsDriver.Fields("metfone", SmsDriver.NewPhone("metfone"), "VOTE 1", "x", 1_718_366_400)), credential: "");
        var smart = await host.Sms.TextAsync("smart", SmsDriver.NewPhone("smart"), "VOTE 1");

        Assert.Equal((401, 401, 200), (metfone.Code, empty.Code, smart.Code));
        Assert.Equal(1, await host.Database.CountRowsAsync("sms_messages"));
    }

    [Theory]
    [InlineData("smart", "no message id")]
    [InlineData("smart", "no text")]
    [InlineData("smart", "sender not a mobile number")]
    [InlineData("smart", "time not a time")]
    [InlineData("smart", "time in milliseconds")]
    [InlineData("smart", "not json")]
    [InlineData("smart", "message id not text")]
    [InlineData("smart", "blank message id")]
    [InlineData("cellcard", "no message id")]
    [InlineData("cellcard", "no short code")]
    [InlineData("cellcard", "sender not a mobile number")]
    [InlineData("cellcard", "time not a time")]
    [InlineData("cellcard", "not json")]
    [InlineData("metfone", "no text")]
    [InlineData("metfone", "no time")]
    [InlineData("metfone", "sender not a mobile number")]
    [InlineData("metfone", "not json")]
    [InlineData("metfone", "text too long")]
    public async Task MissingOrMalformedFieldsAre400InTheCarriersFormatAndWriteNothing(string carrier, string fault)
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        await host.Api.OpenEpisodeAsync();
        var before = await host.RowsAsync();
        var fields = SmsDriver.Fields(carrier, SmsDriver.NewPhone(carrier), "VOTE 1", SmsDriver.NewMessageId(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var n = FieldNames(carrier);
        switch (fault)
        {
            case "no message id": fields.Remove(n.Id); break;
            case "no text": fields.Remove(n.Text); break;
            case "no time": fields.Remove(n.Time); break;
            case "no short code": fields.Remove(n.To); break;
            case "sender not a mobile number": fields[n.From] = "+1 202 555 0100"; break;
            case "time not a time": fields[n.Time] = "yesterday"; break;
            case "time in milliseconds": fields[n.Time] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(); break;
            case "message id not text": fields[n.Id] = new[] { 1, 2 }; break;
            case "blank message id": fields[n.Id] = "   "; break;
            case "text too long": fields[n.Text] = new string('9', 1601); break;
        }
        var body = fault == "not json" ? (carrier == "cellcard" ? "{\"api_token\": \"" + FakeCarrier.CellcardToken + "\", " : "{oops") : JsonSerializer.Serialize(fields);

        var answer = await host.Sms.PostAsync(carrier, body);

        Assert.Equal(400, answer.Code);
        Assert.True(answer.IsCarriersNo, answer.Body);
        Assert.Equal(before, await host.RowsAsync());
    }

    [Fact]
    public async Task SmartAlsoDeliversAsAFormAndTimesMayBeIso8601()
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        var e = await host.Api.OpenEpisodeAsync();
        var phone = SmsDriver.NewPhone("smart");
        var form = $"from=%2B855{phone[1..]}&to=1255&message=vote+3&message_id={SmsDriver.NewMessageId()}&timestamp={Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("o"))}";

        var answer = await host.Sms.PostAsync("smart", form, "application/x-www-form-urlencoded", SmsDriver.Sign(form));

        Assert.True(answer.Processed, answer.Body);
        Assert.Equal(1, (await host.Api.ResultsAsync(e.EpisodeId)).GetProperty("vote_breakdown").GetProperty("by_type").GetProperty("sms").GetInt64());
        Assert.Equal(phone, (await host.Carrier.SmsToAsync(phone)).To);
    }

    [Theory]
    [MemberData(nameof(Carriers))]
    public async Task TenConcurrentDeliveriesOfOneMessageCountOneVoteAndGetTenIdenticalAnswers(string carrier)
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        var e = await host.Api.OpenEpisodeAsync();
        var phone = SmsDriver.NewPhone(carrier);
        var body = JsonSerializer.Serialize(SmsDriver.Fields(carrier, phone, "VOTE 1 2", SmsDriver.NewMessageId(), DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => host.Sms.PostAsync(carrier, body))));

        Assert.All(answers, a => Assert.True(a.Code == 200 && a.Processed, a.Body));
        Assert.Single(answers.Select(a => (a.Code, a.Body, a.ContentType)).Distinct());
        Assert.Equal(1, await host.Database.CountRowsAsync("votes"));
        Assert.Equal(2, (await host.Api.AuditAsync(e.EpisodeId)).GetProperty("ledger_votes").GetInt64());
        Assert.Equal(1, await host.Database.CountRowsAsync("sms_messages"));
        Assert.Equal(1, await host.Database.CountAsync("SELECT COUNT(*) FROM outbox WHERE kind = 'sms' AND recipient = $1", phone));
        Assert.Equal(1, await host.Database.CountRowsAsync("carrier_charges"));
        await host.Carrier.SmsToAsync(phone);
    }

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
        Assert.Equal(SmsReplies.Refused(Domain.Voting.VoteRefusal.SmsLimitExceeded, 0).Reply, reply.Message);
        Assert.Equal(50, (await host.Api.AuditAsync(e.EpisodeId)).GetProperty("ledger_votes").GetInt64());
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
        Assert.Equal(SmsReplies.Closed.Reply, (await host.Carrier.SmsToAsync(phone)).Message);
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
        var replies = await ReplyMessagesAsync(host, phone, 2);
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
        Assert.Equal(1, (await StatsAsync(host, e.EpisodeId, "smart")).GetProperty("late_admitted").GetInt64());
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
        await SmsTestHost.EventuallyAsync(async () => (await StatsAsync(host, e.EpisodeId, null)).GetProperty("carriers").EnumerateArray()
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

    private static (string From, string To, string Text, string Id, string Time) FieldNames(string carrier) => carrier switch
    {
        "smart" => ("from", "to", "message", "message_id", "timestamp"),
        "cellcard" => ("msisdn", "short_code", "text", "msg_id", "received_at"),
        _ => ("sender", "receiver", "content", "sms_id", "recv_time"),
    };

    private static async Task<List<string?>> ReplyMessagesAsync(SmsTestHost host, string phone, int count)
    {
        await SmsTestHost.EventuallyAsync(() => Task.FromResult(host.Carrier.Accepted.Count(r => r.Kind == "sms" && r.To == phone) >= count), $"{count} replies");
        return host.Carrier.Accepted.Where(r => r.Kind == "sms" && r.To == phone).Select(r => r.Message).ToList();
    }

    /// <summary>The operator view of an episode, or one carrier's part of it.</summary>
    private static async Task<JsonElement> StatsAsync(SmsTestHost host, long episode, string? carrier)
    {
        var view = await host.Api.GetAsync($"/api/v1/admin/episodes/{episode}/sms", admin: true);
        Assert.Equal(200, view.Code);
        return carrier is null ? view.Data : view.Data.GetProperty("carriers").EnumerateArray().Single(c => c.GetProperty("carrier").GetString() == carrier);
    }
}

public sealed class SqliteSmsWebhookTests() : SmsWebhookTests(StoreKind.Sqlite);

public sealed class PostgresSmsWebhookTests() : SmsWebhookTests(StoreKind.Postgres);
