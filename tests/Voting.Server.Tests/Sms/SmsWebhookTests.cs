using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Sms;

/// <summary>The three carriers' webhooks: authentication, formats, exactly-once counting, reply and charge.</summary>
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
        Assert.Equal("Thanks! Your 3 vote(s) for Contestant 2 have been counted. You can send 47 more SMS vote(s) today.", reply.Reply); // the welcome after it: SmsWelcomeTests
        Assert.Equal(reply.IdempotencyKey, reply.IdempotencyKeyHeader);
        var charge = await host.Carrier.WaitForAsync(r => r.Kind == "charge" && r.To == phone && r.Status == 200, what: "(charge)");
        Assert.Equal((carrier, 0.75m, "USD"), (charge.Carrier, charge.Body.GetProperty("amount").GetDecimal(), charge.Body.GetProperty("currency").GetString()));
        await SmsTestHost.EventuallyAsync(async () => (await host.SmsStatsAsync(e.EpisodeId, carrier)).GetProperty("charges").GetProperty("confirmed").GetInt64() == 1,
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
    public async Task OutsideDevelopmentAWebhookWhoseCredentialIsNotConfiguredRefusesEveryDelivery()
    {
        await using var host = await SmsTestHost.StartAsync(kind, new Dictionary<string, string?> { ["Sms:Metfone:ApiKey"] = null }, environment: "Staging");
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
        // One reply (carrying the welcome: a new number).
        Assert.Equal(1, await host.Database.CountAsync("SELECT COUNT(*) FROM outbox WHERE kind = 'sms' AND recipient = $1", phone));
        Assert.Equal(1, await host.Database.CountRowsAsync("carrier_charges"));
        await host.Carrier.SmsToAsync(phone);
    }

    private static (string From, string To, string Text, string Id, string Time) FieldNames(string carrier) => carrier switch
    {
        "smart" => ("from", "to", "message", "message_id", "timestamp"),
        "cellcard" => ("msisdn", "short_code", "text", "msg_id", "received_at"),
        _ => ("sender", "receiver", "content", "sms_id", "recv_time"),
    };
}

public sealed class SqliteSmsWebhookTests() : SmsWebhookTests(StoreKind.Sqlite);

public sealed class PostgresSmsWebhookTests() : SmsWebhookTests(StoreKind.Postgres);
