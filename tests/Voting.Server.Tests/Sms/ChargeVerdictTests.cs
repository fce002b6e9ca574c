using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Sms;

/// <summary>Billing fails closed: a carrier's 2xx whose verdict cannot be read never confirms a charge.</summary>
public abstract class ChargeVerdictTests(StoreKind kind)
{
    public static TheoryData<string, string> Unreadable => new()
    {
        { "metfone", "<response><status>OK</status>" },          // cut short: not XML
        { "metfone", "<response><message>queued</message></response>" },
        { "smart", "{\"status\":\"processing\"}" },
        { "smart", "{\"result\":\"ok\"}" },
        { "cellcard", "{\"result\":\"ok\"}" },
        { "cellcard", "{\"success\":\"yes\"}" },
    };

    [Theory]
    [MemberData(nameof(Unreadable))]
    public async Task AnUnreadableVerdictLeavesTheChargeUnknownRetriedThenDeadAndNeverConfirmed(string carrier, string answer)
    {
        await using var host = await SmsTestHost.StartAsync(kind, new Dictionary<string, string?>
        {
            ["Outbox:MaxAttempts"] = "3",
            ["Outbox:FirstRetryMilliseconds"] = "100",
        });
        var e = await host.Api.OpenEpisodeAsync();
        host.Carrier.ChargeAnswerBody = answer;
        var phone = SmsDriver.NewPhone(carrier);

        Assert.True((await host.Sms.TextAsync(carrier, phone, "VOTE 1 2")).Processed);

        await SmsTestHost.EventuallyAsync(async () => await host.Database.CountAsync(
            "SELECT COUNT(*) FROM outbox WHERE kind = 'charge' AND recipient = $1 AND status = 'dead'", phone) == 1, "the charge to be a dead letter");
        Assert.Equal(3, host.Carrier.Requests.Count(r => r.Kind == "charge" && r.To == phone));
        Assert.Single(host.Carrier.Requests.Where(r => r.Kind == "charge" && r.To == phone).Select(r => r.IdempotencyKey).Distinct());
        var stats = await host.SmsStatsAsync(e.EpisodeId, carrier);
        var charges = stats.GetProperty("charges");
        Assert.Equal((0L, 0L, 0L, 1L), (charges.GetProperty("pending").GetInt64(), charges.GetProperty("confirmed").GetInt64(),
            charges.GetProperty("failed").GetInt64(), charges.GetProperty("unknown").GetInt64()));
        Assert.Equal(0m, stats.GetProperty("revenue").GetDecimal());

        // The operator retries the dead letter once the carrier answers properly: now it is settled.
        host.Carrier.ChargeAnswerBody = null;
        var id = (long)(await host.Database.CountAsync("SELECT id FROM outbox WHERE kind = 'charge' AND recipient = $1", phone));
        Assert.Equal(200, (await host.Api.PostAsync($"/api/v1/admin/outbox/{id}/retry", new { }, admin: true)).Code);
        await SmsTestHost.EventuallyAsync(async () => (await host.SmsStatsAsync(e.EpisodeId, carrier)).GetProperty("charges").GetProperty("confirmed").GetInt64() == 1,
            "the charge to be confirmed");
        Assert.Equal(0, (await host.SmsStatsAsync(e.EpisodeId, carrier)).GetProperty("charges").GetProperty("unknown").GetInt64());
    }

    [Theory]
    [InlineData("smart")]
    [InlineData("cellcard")]
    [InlineData("metfone")]
    public async Task AnUnreadableAnswerThenADeclineSettlesTheChargeAsFailed(string carrier)
    {
        await using var host = await SmsTestHost.StartAsync(kind, new Dictionary<string, string?> { ["Outbox:FirstRetryMilliseconds"] = "300" });
        var e = await host.Api.OpenEpisodeAsync();
        host.Carrier.ChargeAnswerBody = carrier == "metfone" ? "not xml" : "{}";
        var phone = SmsDriver.NewPhone(carrier);

        Assert.True((await host.Sms.TextAsync(carrier, phone, "VOTE 1")).Processed);
        await SmsTestHost.EventuallyAsync(async () => (await host.SmsStatsAsync(e.EpisodeId, carrier)).GetProperty("charges").GetProperty("unknown").GetInt64() == 1,
            "the charge to be unknown");
        host.Carrier.ChargeAnswerBody = null;
        host.Carrier.DeclineCharges = true;

        await SmsTestHost.EventuallyAsync(async () => (await host.SmsStatsAsync(e.EpisodeId, carrier)).GetProperty("charges").GetProperty("failed").GetInt64() == 1,
            "the charge to fail");
        Assert.Equal(0, (await host.SmsStatsAsync(e.EpisodeId, carrier)).GetProperty("charges").GetProperty("confirmed").GetInt64());
    }

    [Theory]
    [InlineData("smart")]
    [InlineData("cellcard")]
    [InlineData("metfone")]
    public async Task ARedirectIsNotFollowedAndConfirmsNothing(string carrier)
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        var e = await host.Api.OpenEpisodeAsync();
        host.Carrier.RedirectCharges = true;
        var phone = SmsDriver.NewPhone(carrier);

        Assert.True((await host.Sms.TextAsync(carrier, phone, "VOTE 1")).Processed);

        // A 3xx is the carrier refusing: a dead letter at once, the charge still pending, nothing asked elsewhere.
        await SmsTestHost.EventuallyAsync(async () => await host.Database.CountAsync(
            "SELECT COUNT(*) FROM outbox WHERE kind = 'charge' AND recipient = $1 AND status = 'dead'", phone) == 1, "the charge to be a dead letter");
        Assert.Single(host.Carrier.Requests, r => r.Kind == "charge" && r.To == phone);
        Assert.DoesNotContain(host.Carrier.Requests, r => r.Kind == "charge-elsewhere");
        var charges = (await host.SmsStatsAsync(e.EpisodeId, carrier)).GetProperty("charges");
        Assert.Equal((1L, 0L, 0L, 0L), (charges.GetProperty("pending").GetInt64(), charges.GetProperty("confirmed").GetInt64(),
            charges.GetProperty("failed").GetInt64(), charges.GetProperty("unknown").GetInt64()));
    }
}

public sealed class SqliteChargeVerdictTests() : ChargeVerdictTests(StoreKind.Sqlite);

public sealed class PostgresChargeVerdictTests() : ChargeVerdictTests(StoreKind.Postgres);
