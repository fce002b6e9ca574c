using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Reliability;

/// <summary>
/// The server dies after a text's transaction committed and before the carrier read the answer;
/// the carrier delivers the text again to the restarted server, which counts it once and answers
/// as it would have the first time.
/// </summary>
public abstract class SmsKillTests(StoreKind kind)
{
    [Fact]
    public async Task ATextCommittedBeforeAKillIsCountedOnceAndAnsweredAsTheFirstWhenDeliveredAgain()
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var settings = CrashCampaign.Settings();
        var texts = Enumerable.Range(0, 12).Select(i => (Phone: SmsDriver.NewPhone("smart"), Id: SmsDriver.NewMessageId(), Ballot: i % 3 + 1)).ToList();
        var at = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        long episode;
        await using (var first = await ServerProcess.StartAsync(db, settings))
        {
            episode = (await first.Api.OpenEpisodeAsync()).EpisodeId;
            // The carrier's connections: requests written, answers never read.
            var sockets = new List<TcpClient>();
            foreach (var t in texts) sockets.Add(await SendUnreadAsync(first.Address, Body(t.Phone, $"VOTE {t.Ballot}", t.Id, at)));
            await SmsTestHost.EventuallyAsync(async () => await db.CountRowsAsync("sms_messages") == texts.Count, "every text to commit");
            await first.KillAsync();
            foreach (var s in sockets) s.Dispose();
        }

        await using var second = await ServerProcess.StartAsync(db, settings);
        var sms = new SmsDriver(second.Client);
        foreach (var t in texts)
        {
            var again = await sms.TextAsync("smart", t.Phone, $"VOTE {t.Ballot}", t.Id, at);
            Assert.Equal(200, again.Code);
            Assert.True(again.Processed, $"the redelivered text answered {again.Body}");
        }
        // The answer to a first delivery, for comparison: a text never seen before, on the same server.
        var fresh = await sms.TextAsync("smart", SmsDriver.NewPhone("smart"), "VOTE 1", SmsDriver.NewMessageId(), at);
        var redelivered = await sms.TextAsync("smart", texts[0].Phone, "VOTE 1", texts[0].Id, at);
        Assert.Equal(fresh.Body, redelivered.Body);

        Assert.Equal(texts.Count + 1, await db.CountRowsAsync("sms_messages"));
        Assert.Equal(texts.Count + 1, await db.CountRowsAsync("votes"));
        Assert.Equal(texts.Count + 1, await db.CountAsync("SELECT COUNT(*) FROM outbox WHERE kind = 'charge'"));
        foreach (var t in texts)
            Assert.Equal(1, await db.CountAsync("SELECT COUNT(*) FROM votes v JOIN voters p ON p.id = v.voter_id WHERE p.phone LIKE $1", "%" + t.Phone[1..]));
        Assert.True((await second.Api.AuditAsync(episode)).GetProperty("consistent").GetBoolean());
    }

    private static string Body(string phone, string text, string id, long at) =>
        JsonSerializer.Serialize(SmsDriver.Fields("smart", phone, text, id, at));

    private static async Task<TcpClient> SendUnreadAsync(Uri server, string body)
    {
        var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = $"POST /webhooks/sms/smart HTTP/1.1\r\nHost: {server.Authority}\r\nContent-Type: application/json\r\n" +
            $"X-Smart-Signature: {SmsDriver.Sign(body)}\r\nContent-Length: {bytes.Length}\r\n\r\n";
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(bytes);
        await stream.FlushAsync();
        return client;
    }
}

public sealed class SqliteSmsKillTests() : SmsKillTests(StoreKind.Sqlite);

public sealed class PostgresSmsKillTests() : SmsKillTests(StoreKind.Postgres);
