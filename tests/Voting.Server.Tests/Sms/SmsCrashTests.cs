using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Sms;

/// <summary>A text's reply is committed with its vote; a server killed before the carrier answers still sends it after a restart.</summary>
public abstract class SmsCrashTests(StoreKind kind)
{
    [Fact]
    public async Task AReplyCommittedBeforeAKillIsSentAfterTheRestart()
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var carrier = await FakeCarrier.StartAsync();
        var settings = carrier.Settings("__").ToDictionary(kv => kv.Key, kv => kv.Value!);
        settings["Outbox__LeaseSeconds"] = "3";
        settings["Outbox__TimeoutSeconds"] = "2";
        settings["Outbox__PollMilliseconds"] = "100";
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
}

public sealed class SqliteSmsCrashTests() : SmsCrashTests(StoreKind.Sqlite);

public sealed class PostgresSmsCrashTests() : SmsCrashTests(StoreKind.Postgres);
