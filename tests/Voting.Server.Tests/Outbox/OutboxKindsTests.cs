using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Outbox;

/// <summary>The dispatcher knows kinds only through their handlers: a row they cannot read is a dead letter, a kind without a handler is left alone.</summary>
public abstract class OutboxKindsTests(StoreKind kind)
{
    [Fact]
    public async Task APayloadItsHandlerCannotReadIsADeadLetterWhileGoodRowsAreDelivered()
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        var phone = SmsDriver.NewPhone("smart");

        await InsertAsync(host, "sms", phone, """{"text":"no message field"}""", "bad-sms");
        await InsertAsync(host, "charge", phone, """{"carrier":"smart","vote_id":"seven"}""", "bad-charge");
        await InsertAsync(host, "push", "voter:1", "not json", "bad-push");
        await InsertAsync(host, "sms", phone, """{"message":"Hello","carrier":"smart","from":"1255"}""", "good-sms");
        await InsertAsync(host, "fax", phone, """{"message":"Hello"}""", "unknown-kind");

        await SmsTestHost.EventuallyAsync(async () => await host.Database.CountAsync("SELECT COUNT(*) FROM outbox WHERE status <> 'pending'") == 4,
            "four rows to be done");
        var rows = (await host.Database.QueryAsync("SELECT idempotency_key, status, attempts, last_error FROM outbox ORDER BY id"))
            .ToDictionary(r => (string)r[0]!, r => ((string)r[1]!, Convert.ToInt64(r[2]), r[3] as string));
        Assert.Equal(("dead", 1L, "unreadable sms payload"), rows["bad-sms"]);
        Assert.Equal(("dead", 1L, "unreadable charge payload"), rows["bad-charge"]);
        Assert.Equal(("dead", 1L, "unreadable push payload"), rows["bad-push"]);
        Assert.Equal(("delivered", 1L, null), rows["good-sms"]);
        Assert.Equal(("pending", 0L, null), rows["unknown-kind"]);
        var sent = Assert.Single(host.Carrier.Requests);
        Assert.Equal(("Hello", "good-sms"), (sent.Message, sent.IdempotencyKey));
    }

    private static Task InsertAsync(SmsTestHost host, string kind, string recipient, string payload, string key) =>
        host.Database.ExecuteAsync("INSERT INTO outbox (kind, recipient, payload, idempotency_key, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, 0, 0)",
            kind, recipient, payload, key);
}

public sealed class SqliteOutboxKindsTests() : OutboxKindsTests(StoreKind.Sqlite);

public sealed class PostgresOutboxKindsTests() : OutboxKindsTests(StoreKind.Postgres);
