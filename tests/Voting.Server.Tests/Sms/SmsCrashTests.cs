using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Sms;

/// <summary>A text's reply is committed with its vote; a server killed before the carrier answers still sends it after a restart.</summary>
public abstract class SmsCrashTests(StoreKind kind)
{
    /// <summary>The server's settings for this carrier, with the outbox's lease and timeout, polling every 100 ms.</summary>
    private static Dictionary<string, string> OutboxSettings(FakeCarrier carrier, int leaseSeconds, int timeoutSeconds)
    {
        var settings = carrier.Settings("__").ToDictionary(kv => kv.Key, kv => kv.Value!);
        settings["Outbox__LeaseSeconds"] = leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Outbox__TimeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Outbox__PollMilliseconds"] = "100";
        return settings;
    }

    [Fact]
    public async Task AReplyCommittedBeforeAKillIsSentAfterTheRestart()
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var carrier = await FakeCarrier.StartAsync();
        var settings = OutboxSettings(carrier, leaseSeconds: 3, timeoutSeconds: 2);
        var phone = SmsDriver.NewPhone("smart");
        // The carrier's API hangs: the reply is committed, its request is in flight, nothing is recorded as delivered.
        carrier.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        CarrierRequest inFlight;
        await using (var first = await ServerProcess.StartAsync(db, settings))
        {
            await first.Api.OpenEpisodeAsync();
            Assert.True((await new SmsDriver(first.Client).TextAsync("smart", phone, "VOTE 1")).Processed);
            inFlight = await carrier.WaitForAsync(r => r.Kind == "sms" && r.To == phone, what: "(the reply, in flight)");
            await first.KillAsync();
        }
        var killedAt = DateTimeOffset.UtcNow;
        Assert.Equal(0, await db.CountAsync("SELECT COUNT(*) FROM outbox WHERE status = 'delivered'"));
        var hung = carrier.Hold;
        carrier.Hold = null;
        hung.TrySetResult();

        await using var second = await ServerProcess.StartAsync(db, settings);
        var resent = await carrier.WaitForAsync(r => r.Kind == "sms" && r.To == phone && r.At > killedAt, TimeSpan.FromSeconds(30), "(the reply, after the restart)");

        Assert.Equal(inFlight.IdempotencyKey, resent.IdempotencyKey);
        Assert.Equal(inFlight.Message, resent.Message);
        await SmsTestHost.EventuallyAsync(async () => await db.CountAsync(
            "SELECT COUNT(*) FROM outbox WHERE idempotency_key = $1 AND status = 'delivered'", resent.IdempotencyKey!) == 1, "the reply to be recorded as delivered");
        Assert.Equal(1, await db.CountRowsAsync("votes"));
        Assert.Equal(1, await db.CountRowsAsync("sms_messages"));
    }

    /// <summary>
    /// A dispatcher that stops (SIGTERM) mid-batch gives back the rows it leased but did not start:
    /// due at once with their attempt uncounted, not held until the lease runs out. The row whose
    /// request was in flight keeps its lease (the carrier may have it; it is sent again after).
    /// </summary>
    [Fact]
    public async Task RowsLeasedButNotStartedWhenTheServerStopsAreGivenBack()
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var carrier = await FakeCarrier.StartAsync();
        // One worker sending one row at a time, a lease far longer than the test.
        var settings = OutboxSettings(carrier, leaseSeconds: 600, timeoutSeconds: 300);
        settings["Outbox__Workers"] = "1";
        settings["Outbox__Concurrency"] = "1";
        carrier.Hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // First server: the first text's rows leased (one of them in flight, hanging), three more
        // texts' rows queued behind the one busy worker; then killed, leaving them all as they are.
        await using (var first = await ServerProcess.StartAsync(db, settings))
        {
            await first.Api.OpenEpisodeAsync();
            var sms = new SmsDriver(first.Client);
            var phone = SmsDriver.NewPhone("smart");
            Assert.True((await sms.TextAsync("smart", phone, "VOTE 1")).Processed);
            await carrier.WaitForAsync(r => r.To == phone, what: "(the first text's row, in flight)");
            for (var i = 0; i < 3; i++) Assert.True((await sms.TextAsync("smart", SmsDriver.NewPhone("smart"), "VOTE 1")).Processed);
            await first.KillAsync();
        }
        var leasedBefore = (await db.QueryAsync("SELECT id FROM outbox WHERE attempts > 0")).Select(r => Convert.ToInt64(r[0])).ToHashSet();
        var queued = (await db.QueryAsync("SELECT id FROM outbox WHERE attempts = 0")).Select(r => Convert.ToInt64(r[0])).ToHashSet();
        Assert.NotEmpty(leasedBefore);
        Assert.True(queued.Count >= 3, $"{queued.Count} rows queued behind the busy worker");

        // Second server: leases every queued row at once, starts one (it hangs), and is stopped.
        var inFlightCount = carrier.Requests.Count;
        await using (var second = await ServerProcess.StartAsync(db, settings))
        {
            await SmsTestHost.EventuallyAsync(async () => await db.CountAsync("SELECT COUNT(*) FROM outbox WHERE attempts > 0") == leasedBefore.Count + queued.Count,
                "the second server to lease every queued row");
            await SmsTestHost.EventuallyAsync(() => Task.FromResult(carrier.Requests.Count > inFlightCount), "one of them to be in flight");
            await second.TerminateAsync();
        }
        var stoppedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        carrier.Hold.TrySetResult();

        var rows = (await db.QueryAsync("SELECT id, attempts, next_attempt_at, status FROM outbox"))
            .ToDictionary(r => Convert.ToInt64(r[0]), r => (Attempts: Convert.ToInt64(r[1]), Due: Convert.ToInt64(r[2]), Status: (string)r[3]!));
        Assert.All(rows.Values, r => Assert.Equal("pending", r.Status));
        // The first server's lease stands (it was killed, so nothing was given back).
        Assert.All(leasedBefore, id => Assert.Equal(1, rows[id].Attempts));
        // Of the second server's lease: the one in flight keeps it; every other row is due now, its attempt uncounted.
        var kept = queued.Where(id => rows[id].Attempts == 1).ToList();
        var givenBack = queued.Where(id => rows[id].Attempts == 0).ToList();
        Assert.Single(kept);
        Assert.True(rows[kept[0]].Due > stoppedAt + 300_000, "the row in flight keeps its lease");
        Assert.Equal(queued.Count - 1, givenBack.Count);
        Assert.All(givenBack, id => Assert.True(rows[id].Due <= stoppedAt, $"row {id} is due at once"));
    }
}

public sealed class SqliteSmsCrashTests() : SmsCrashTests(StoreKind.Sqlite);

public sealed class PostgresSmsCrashTests() : SmsCrashTests(StoreKind.Postgres);
