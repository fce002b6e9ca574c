using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Sms;

/// <summary>The dispatcher against a carrier that fails: backoff, one delivery per idempotency key, dead letters and their retry.</summary>
public abstract class OutboxDeliveryTests(StoreKind kind)
{
    [Fact]
    public async Task WithTheCarrierFailingThreeTimesTheReplyIsDeliveredOnceWithBackoff()
    {
        await using var host = await SmsTestHost.StartAsync(kind, new Dictionary<string, string?> { ["Outbox:FirstRetryMilliseconds"] = "300" });
        await host.Api.OpenEpisodeAsync();
        host.Carrier.FailOnlyKind = "sms";
        host.Carrier.FailNext = 3;
        var phone = SmsDriver.NewPhone("smart");

        Assert.True((await host.Sms.TextAsync("smart", phone, "VOTE 1")).Processed);

        var delivered = await host.Carrier.SmsToAsync(phone);
        var key = delivered.IdempotencyKey!;
        await SmsTestHost.EventuallyAsync(async () => await host.Database.CountAsync(
            "SELECT COUNT(*) FROM outbox WHERE idempotency_key = $1 AND status = 'delivered'", key) == 1, "the row to be recorded as delivered");
        await Task.Delay(500); // long enough for a wrong extra attempt to show
        var attempts = host.Carrier.Requests.Where(r => r.Kind == "sms" && r.To == phone).ToList();
        Assert.Equal([503, 503, 503, 200], attempts.Select(a => a.Status));
        Assert.All(attempts, a => Assert.Equal((key, key), (a.IdempotencyKey, a.IdempotencyKeyHeader)));
        Assert.Single(host.Carrier.Accepted, r => r.IdempotencyKey == key);
        // Each wait at least doubles the first (300 ms); jitter only lengthens them.
        for (var i = 1; i < attempts.Count; i++)
        {
            var gap = attempts[i].At - attempts[i - 1].At;
            Assert.True(gap >= TimeSpan.FromMilliseconds(300 << (i - 1)) - TimeSpan.FromMilliseconds(5), $"wait {i} was only {gap.TotalMilliseconds} ms");
        }
        Assert.Equal(4, await host.Database.CountAsync("SELECT attempts FROM outbox WHERE idempotency_key = $1", key));
    }

    [Fact]
    public async Task ManyWorkersWithSmallBatchesSendEveryRowExactlyOnce()
    {
        // Eight dispatch loops leasing three rows at a time race for the same rows.
        await using var host = await SmsTestHost.StartAsync(kind, new Dictionary<string, string?>
        {
            ["Outbox:Workers"] = "8",
            ["Outbox:BatchSize"] = "3",
            ["Outbox:Concurrency"] = "2",
        });
        await host.Api.OpenEpisodeAsync();
        var phones = Enumerable.Range(0, 40).Select(_ => SmsDriver.NewPhone("smart")).ToList();

        var answers = await Task.WhenAll(phones.Select(p => host.Sms.TextAsync("smart", p, "VOTE 1")));
        Assert.All(answers, a => Assert.True(a.Processed));

        await SmsTestHost.EventuallyAsync(async () => await host.Database.CountAsync(
            "SELECT COUNT(*) FROM outbox WHERE status <> 'delivered'") == 0, "every outbox row to be delivered");
        var rows = await host.Database.CountAsync("SELECT COUNT(*) FROM outbox");
        Assert.True(rows >= 2 * phones.Count, $"only {rows} outbox rows: a reply (with the welcome) and a charge per new texter were expected");
        await Task.Delay(500); // long enough for a wrong second send to show
        var accepted = host.Carrier.Accepted;
        Assert.Equal(rows, accepted.Count);
        Assert.Equal(accepted.Count, accepted.Select(r => (r.Kind, r.IdempotencyKeyHeader)).Distinct().Count());
    }

    [Fact]
    public async Task AfterTheLastAttemptTheRowIsADeadLetterThatAnOperatorCanRetry()
    {
        await using var host = await SmsTestHost.StartAsync(kind, new Dictionary<string, string?> { ["Outbox:MaxAttempts"] = "3" });
        await host.Api.OpenEpisodeAsync();
        host.Carrier.FailOnlyKind = "sms";
        host.Carrier.FailAll = true;
        var phone = SmsDriver.NewPhone("cellcard");
        Assert.True((await host.Sms.TextAsync("cellcard", phone, "VOTE 2")).Processed);

        JsonElement dead = default;
        await SmsTestHost.EventuallyAsync(async () =>
        {
            var list = await host.Api.GetAsync("/api/v1/admin/outbox?status=dead", admin: true);
            var found = list.Data.GetProperty("entries").EnumerateArray().Where(x => x.GetProperty("recipient").GetString() == phone && x.GetProperty("idempotency_key").GetString()!.StartsWith("sms-reply:", StringComparison.Ordinal)).ToList();
            if (found.Count == 1) dead = found[0];
            return found.Count == 1;
        }, "the reply to become a dead letter");
        Assert.Equal(("sms", "cellcard", "dead", 3), (dead.GetProperty("kind").GetString(), dead.GetProperty("carrier").GetString(),
            dead.GetProperty("status").GetString(), dead.GetProperty("attempts").GetInt32()));
        Assert.Contains("HTTP 503", dead.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.False(dead.TryGetProperty("payload", out _));
        Assert.Equal(3, host.Carrier.Requests.Count(r => r.Kind == "sms" && r.To == phone));
        var id = dead.GetProperty("id").GetInt64();

        host.Carrier.FailAll = false;
        var unauthorized = await host.Api.PostAsync($"/api/v1/admin/outbox/{id}/retry", new { });
        var retry = await host.Api.PostAsync($"/api/v1/admin/outbox/{id}/retry", new { }, admin: true);
        var sent = await host.Carrier.SmsToAsync(phone);
        await SmsTestHost.EventuallyAsync(async () =>
            (await host.Database.QueryAsync("SELECT status FROM outbox WHERE id = $1", id))[0][0] as string == "delivered", "the retried row to be delivered");
        var again = await host.Api.PostAsync($"/api/v1/admin/outbox/{id}/retry", new { }, admin: true);
        var missing = await host.Api.PostAsync("/api/v1/admin/outbox/999999/retry", new { }, admin: true);

        ApiAssert.Error(unauthorized, 401, "UNAUTHORIZED");
        Assert.Equal((200, id, "pending"), (retry.Code, retry.Data.GetProperty("id").GetInt64(), retry.Data.GetProperty("status").GetString()));
        Assert.Equal(dead.GetProperty("idempotency_key").GetString(), sent.IdempotencyKey);
        ApiAssert.Error(again, 409, "OUTBOX_NOT_DEAD");
        ApiAssert.Error(missing, 404, "OUTBOX_NOT_FOUND");
        Assert.Empty((await host.Api.GetAsync("/api/v1/admin/outbox", admin: true)).Data.GetProperty("entries").EnumerateArray());
    }

    [Theory]
    [InlineData("status=sent")]
    [InlineData("limit=0")]
    [InlineData("limit=1001")]
    [InlineData("limit=ten")]
    public async Task TheOutboxListRefusesBadQueries(string query)
    {
        await using var host = await SmsTestHost.StartAsync(kind);

        ApiAssert.Error(await host.Api.GetAsync($"/api/v1/admin/outbox?{query}", admin: true), 400, "INVALID_REQUEST");
    }

    [Fact]
    public async Task ARequestTheCarrierRejectsIsADeadLetterAtOnce()
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        await host.Api.OpenEpisodeAsync();
        host.Carrier.FailOnlyKind = "sms";
        host.Carrier.FailStatus = 400;
        host.Carrier.FailNext = 1;
        var phone = SmsDriver.NewPhone("metfone");

        Assert.True((await host.Sms.TextAsync("metfone", phone, "VOTE 1")).Processed);

        await SmsTestHost.EventuallyAsync(async () => await host.Database.CountAsync(
            "SELECT COUNT(*) FROM outbox WHERE recipient = $1 AND kind = 'sms' AND idempotency_key LIKE 'sms-reply:%' AND status = 'dead' AND attempts = 1", phone) == 1, "a dead letter");
        Assert.Single(host.Carrier.Requests, r => r.Kind == "sms" && r.To == phone);
    }

    [Fact]
    public async Task AChargeTheCarrierDeclinesIsRecordedAsFailedAndEarnsNothing()
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        var e = await host.Api.OpenEpisodeAsync();
        host.Carrier.DeclineCharges = true;
        var phone = SmsDriver.NewPhone("metfone");

        Assert.True((await host.Sms.TextAsync("metfone", phone, "VOTE 1 2")).Processed);

        await SmsTestHost.EventuallyAsync(async () => await host.Database.CountAsync("SELECT COUNT(*) FROM carrier_charges WHERE status = 'failed'") == 1,
            "the charge to fail");
        var metfone = (await host.Api.GetAsync($"/api/v1/admin/episodes/{e.EpisodeId}/sms", admin: true)).Data.GetProperty("carriers")
            .EnumerateArray().Single(c => c.GetProperty("carrier").GetString() == "metfone");
        Assert.Equal((1L, 0L, 0m), (metfone.GetProperty("charges").GetProperty("failed").GetInt64(),
            metfone.GetProperty("charges").GetProperty("confirmed").GetInt64(), metfone.GetProperty("revenue").GetDecimal()));
        Assert.Equal(1, await host.Database.CountAsync("SELECT COUNT(*) FROM outbox WHERE kind = 'charge' AND status = 'delivered'"));
        // The vote stays counted: billing is the carrier's business, the ledger is the show's.
        Assert.Equal(2, (await host.Api.AuditAsync(e.EpisodeId)).GetProperty("ledger_votes").GetInt64());
    }
}

public sealed class SqliteOutboxDeliveryTests() : OutboxDeliveryTests(StoreKind.Sqlite);

public sealed class PostgresOutboxDeliveryTests() : OutboxDeliveryTests(StoreKind.Postgres);
