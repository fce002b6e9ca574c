using System.Text.Json;
using Voting.Domain.Sms;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Sms;

/// <summary>A number that becomes a voter by texting is welcomed once ever, in the reply to that text, through the carrier that delivered it.</summary>
public abstract class SmsWelcomeTests(StoreKind kind)
{
    public static TheoryData<string> Carriers => new() { "smart", "cellcard", "metfone" };

    /// <summary>Outbox texts to the number that carry the welcome (its first words: the stored JSON escapes the rest's angle brackets).</summary>
    private static Task<long> WelcomeRowsAsync(SmsTestHost host, string phone) =>
        host.Database.CountAsync("SELECT COUNT(*) FROM outbox WHERE kind = 'sms' AND recipient = $1 AND payload LIKE $2", phone,
            $"%{SmsReplies.Welcome[..SmsReplies.Welcome.IndexOf('!', StringComparison.Ordinal)]}%");

    [Theory]
    [MemberData(nameof(Carriers))]
    public async Task AFirstTimeTextersReplyCarriesTheWelcomeAndNoOtherDoes(string carrier)
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        await host.Api.OpenEpisodeAsync();
        var phone = SmsDriver.NewPhone(carrier);
        var first = SmsDriver.NewMessageId();

        Assert.True((await host.Sms.TextAsync(carrier, phone, "VOTE 1", first)).Processed);
        Assert.Equal(1, await WelcomeRowsAsync(host, phone)); // committed with the vote, before the webhook answered
        Assert.True((await host.Sms.TextAsync(carrier, phone, "VOTE 2")).Processed);
        Assert.True((await host.Sms.TextAsync(carrier, phone, "VOTE 1", first)).Processed); // a redelivery of the first
        Assert.True((await host.Sms.TextAsync(carrier, phone, "hello")).IsCarriersNo); // not a vote: answered, not counted

        var welcome = await host.Carrier.WelcomeToAsync(phone);
        Assert.Equal((carrier, $"sms-reply:{carrier}:{first}"), (welcome.Carrier, welcome.IdempotencyKey));
        Assert.StartsWith("Thanks! Your 1 vote(s) for ", welcome.Message, StringComparison.Ordinal);
        Assert.EndsWith(" " + SmsReplies.Welcome, welcome.Message, StringComparison.Ordinal);
        var replies = await host.RepliesToAsync(phone, 3);
        Assert.Equal(2, replies.Count(r => r!.Contains("have been counted", StringComparison.Ordinal)));
        await SmsTestHost.EventuallyAsync(async () => await host.Database.CountAsync(
            "SELECT COUNT(*) FROM outbox WHERE recipient = $1 AND status <> 'delivered' AND kind = 'sms'", phone) == 0, "every text to be delivered");
        Assert.Equal(3, host.Carrier.Accepted.Count(r => r.To == phone && r.Kind == "sms"));
        Assert.Single(host.Carrier.Accepted, r => r.To == phone && r.CarriesWelcome);
        Assert.Equal(1, await WelcomeRowsAsync(host, phone));
    }

    [Fact]
    public async Task ANumberWhoseFirstTextIsRefusedIsWelcomedToo()
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        var phone = SmsDriver.NewPhone("smart");

        var answer = await host.Sms.TextAsync("smart", phone, "VOTE 1"); // no episode is open

        Assert.True(answer.IsCarriersNo, answer.Body);
        Assert.Equal(SmsReplies.Welcoming(SmsReplies.Closed.Reply), (await host.Carrier.SmsToAsync(phone)).Message);
        await SmsTestHost.EventuallyAsync(async () => await host.Database.CountAsync(
            "SELECT COUNT(*) FROM outbox WHERE recipient = $1 AND status <> 'delivered'", phone) == 0, "every text to be delivered");
        Assert.Single(host.Carrier.Accepted, r => r.To == phone);
        Assert.Equal(1, await WelcomeRowsAsync(host, phone));
    }

    [Fact]
    public async Task AVoterWhoSignedInWithTheAppFirstGetsNoWelcome()
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        await host.Api.OpenEpisodeAsync();
        var phone = SmsDriver.NewPhone("cellcard");
        await host.Api.SignInAsync(phone);

        Assert.True((await host.Sms.TextAsync("cellcard", phone, "VOTE 1")).Processed);

        Assert.Equal(0, await WelcomeRowsAsync(host, phone));
        Assert.Contains(await host.RepliesToAsync(phone, 2), r => r!.Contains("have been counted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConcurrentFirstTextsFromOneNumberGiveOneWelcome()
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        await host.Api.OpenEpisodeAsync();
        var phone = SmsDriver.NewPhone("metfone");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() =>
            host.Sms.PostAsync("metfone", JsonSerializer.Serialize(SmsDriver.Fields("metfone", phone, $"VOTE {(i % 3) + 1}", SmsDriver.NewMessageId(), now))))));

        Assert.All(answers, a => Assert.True(a.Code == 200 && a.Processed, a.Body));
        Assert.Equal(1, await WelcomeRowsAsync(host, phone));
        Assert.Equal(1, await host.Database.CountAsync("SELECT COUNT(*) FROM voters WHERE phone = $1", phone));
        Assert.Equal("metfone", (await host.Carrier.WelcomeToAsync(phone)).Carrier);
    }
}

public sealed class SqliteSmsWelcomeTests() : SmsWelcomeTests(StoreKind.Sqlite);

public sealed class PostgresSmsWelcomeTests() : SmsWelcomeTests(StoreKind.Postgres);
