using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Push;

/// <summary>
/// Committed votes reach the voter's devices through the outbox: FCM (OAuth service account) and
/// APNs (HTTP/2, ES256 provider token), coalesced per voter, with gone tokens forgotten and passing
/// failures retried. The push services are real HTTP servers (<see cref="FakeFcm"/>, <see cref="FakeApns"/>).
/// </summary>
public abstract class PushDeliveryTests(StoreKind kind)
{
    [Fact]
    public async Task AVoteReachesFcmAndApnsWithTheTokenTitleBodyAndData()
    {
        await using var host = await PushTestHost.StartAsync(kind);
        var e = await host.Api.OpenEpisodeAsync();
        var viewer = await host.Api.SignInAsync();
        await host.RegisterNewAsync(viewer.Token, "fcm", "fcm-device-1");
        await host.RegisterNewAsync(viewer.Token, "apns", "a0b1c2d3e4f5");

        await host.Api.VoteOkAsync(viewer.Token, e.Contestants[1], count: 2);

        var fcm = Assert.Single(await host.Fcm.Messages.WaitForAsync(m => m.Status == 200, what: "delivered by FCM"));
        var apns = Assert.Single(await host.Apns.Notifications.WaitForAsync(n => n.Status == 200, what: "delivered by APNs"));
        Assert.Equal(("fcm-device-1", "Vote Confirmed! 🎉", "Your 2 vote(s) for Contestant 2 have been counted!"), (fcm.Token, fcm.Title, fcm.Body));
        Assert.Equal(new Dictionary<string, string>
        {
            ["type"] = "vote_confirmation",
            ["contestant_id"] = e.Contestants[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["episode_id"] = e.EpisodeId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["vote_count"] = "2",
        }, fcm.Data);
        Assert.Equal(("a0b1c2d3e4f5", "HTTP/2", "alert"), (apns.Token, apns.Protocol, apns.PushType));
        Assert.Equal(("Vote Confirmed! 🎉", "Your 2 vote(s) for Contestant 2 have been counted!"), (apns.Title, apns.Body));
        Assert.Equal(("vote_confirmation", e.Contestants[1], e.EpisodeId, 2L), (apns.Payload.GetProperty("type").GetString(),
            apns.Payload.GetProperty("contestant_id").GetInt64(), apns.Payload.GetProperty("episode_id").GetInt64(), apns.Payload.GetProperty("vote_count").GetInt64()));
        await SmsTestHost.EventuallyAsync(async () => (await host.PushRowsAsync()).All(r => r.Status == "delivered"), "both rows to be delivered");
        Assert.Equal([("delivered", 1L, (string?)null), ("delivered", 1L, null)], await host.PushRowsAsync());
        Assert.Equal(1, host.Fcm.TokensIssued);
        Assert.Equal(0, await host.Database.CountRowsAsync("push_pending"));
    }

    [Fact]
    public async Task ThreeVotesWithinTheWindowMakeOneNotificationWithTheSummedCount()
    {
        await using var host = await PushTestHost.StartAsync(kind, coalesceSeconds: 3);
        var e = await host.Api.OpenEpisodeAsync();
        var viewer = await host.Api.SignInAsync();
        await host.Api.CreditAsync(viewer.UserId, 10);
        await host.RegisterNewAsync(viewer.Token, "fcm", "fcm-device-1");

        await host.Api.VoteOkAsync(viewer.Token, e.Contestants[0], count: 1);
        await host.Api.VoteOkAsync(viewer.Token, e.Contestants[0], "paid", 4);
        await host.Api.VoteOkAsync(viewer.Token, e.Contestants[2], count: 2);

        var message = Assert.Single(await host.Fcm.Messages.WaitForAsync(m => m.Status == 200, timeout: TimeSpan.FromSeconds(20)));
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // long enough for a wrong second notification to show
        Assert.Single(host.Fcm.Messages.Items);
        Assert.Equal("Your 7 vote(s) for Contestant 3 have been counted!", message.Body);
        Assert.Equal(("7", e.Contestants[2].ToString(System.Globalization.CultureInfo.InvariantCulture)), (message.Data["vote_count"], message.Data["contestant_id"]));
        Assert.Single(await host.PushRowsAsync());
    }

    [Fact]
    public async Task AnFcmTokenAnsweredUnregisteredIsForgottenAndNotRetried()
    {
        await using var host = await PushTestHost.StartAsync(kind);
        var e = await host.Api.OpenEpisodeAsync();
        var viewer = await host.Api.SignInAsync();
        await host.RegisterNewAsync(viewer.Token, "fcm", "uninstalled-app");
        await host.RegisterNewAsync(viewer.Token, "fcm", "fcm-device-2");
        host.Fcm.Unregister("uninstalled-app");

        await host.Api.VoteOkAsync(viewer.Token, e.Contestants[0]);

        await host.Fcm.Messages.WaitForAsync(m => m.Status == 404, what: "answered UNREGISTERED");
        await host.Fcm.Messages.WaitForAsync(m => m.Status == 200, what: "to the other device");
        await SmsTestHost.EventuallyAsync(async () => await host.TokenCountAsync("uninstalled-app") == 0, "the gone token to be forgotten");
        await SmsTestHost.EventuallyAsync(async () => (await host.PushRowsAsync()).All(r => r.Status == "delivered"), "both rows to be done");
        Assert.Equal(1, await host.TokenCountAsync("fcm-device-2"));
        Assert.All(await host.PushRowsAsync(), r => Assert.Equal(1, r.Attempts));
        Assert.Single(host.Fcm.Messages.Items, m => m.Token == "uninstalled-app");

        // Later votes go only to the device that is still there.
        await host.Api.VoteOkAsync(viewer.Token, e.Contestants[0]);
        await host.Fcm.Messages.WaitForAsync(m => m.Status == 200, count: 2);
        Assert.Single(host.Fcm.Messages.Items, m => m.Token == "uninstalled-app");
    }

    [Fact]
    public async Task AnApnsTokenAnswered410IsForgottenAndNotRetried()
    {
        await using var host = await PushTestHost.StartAsync(kind);
        var e = await host.Api.OpenEpisodeAsync();
        var viewer = await host.Api.SignInAsync();
        await host.RegisterNewAsync(viewer.Token, "apns", "feedface");
        host.Apns.Unregister("feedface");

        await host.Api.VoteOkAsync(viewer.Token, e.Contestants[0]);

        await host.Apns.Notifications.WaitForAsync(n => n.Status == 410);
        await SmsTestHost.EventuallyAsync(async () => await host.TokenCountAsync("feedface") == 0, "the gone token to be forgotten");
        await SmsTestHost.EventuallyAsync(async () => (await host.PushRowsAsync()) is [("delivered", 1, _)], "the row to be done after one attempt");
        Assert.Single(host.Apns.Notifications.Items);
    }

    [Fact]
    public async Task A503IsRetriedAndThenDelivered()
    {
        await using var host = await PushTestHost.StartAsync(kind);
        var e = await host.Api.OpenEpisodeAsync();
        var viewer = await host.Api.SignInAsync();
        await host.RegisterNewAsync(viewer.Token, "fcm", "fcm-device-1");
        await host.RegisterNewAsync(viewer.Token, "apns", "cafe0123");
        host.Fcm.FailNext = 2;
        host.Apns.FailNext = 1;

        await host.Api.VoteOkAsync(viewer.Token, e.Contestants[0]);

        await host.Fcm.Messages.WaitForAsync(m => m.Status == 200);
        await host.Apns.Notifications.WaitForAsync(n => n.Status == 200);
        await SmsTestHost.EventuallyAsync(async () => (await host.PushRowsAsync()).All(r => r.Status == "delivered"), "both rows to be delivered");
        Assert.Equal([503, 503, 200], host.Fcm.Messages.Items.Select(m => m.Status));
        Assert.Equal([503, 200], host.Apns.Notifications.Items.Select(n => n.Status));
        Assert.Equal([2L, 3L], (await host.PushRowsAsync()).Select(r => r.Attempts).Order());
        Assert.Equal(1, await host.TokenCountAsync("fcm-device-1"));
    }

    [Fact]
    public async Task AnotherRefusalIsADeadLetterAtOnceAndKeepsTheToken()
    {
        await using var host = await PushTestHost.StartAsync(kind);
        var e = await host.Api.OpenEpisodeAsync();
        var viewer = await host.Api.SignInAsync();
        await host.RegisterNewAsync(viewer.Token, "fcm", "fcm-device-1");
        host.Fcm.FailStatus = 400;
        host.Fcm.FailNext = 1;

        await host.Api.VoteOkAsync(viewer.Token, e.Contestants[0]);

        await SmsTestHost.EventuallyAsync(async () => (await host.PushRowsAsync()) is [("dead", 1, _)], "a dead letter");
        Assert.Contains("HTTP 400 from FCM", (await host.PushRowsAsync())[0].Error, StringComparison.Ordinal);
        Assert.Single(host.Fcm.Messages.Items);
        Assert.Equal(1, await host.TokenCountAsync("fcm-device-1"));
    }

    [Fact]
    public async Task APlatformWithNoServiceConfiguredIsADeadLetterThatSaysSo()
    {
        await using var host = await PushTestHost.StartAsync(kind, apns: false);
        var e = await host.Api.OpenEpisodeAsync();
        var viewer = await host.Api.SignInAsync();
        await host.RegisterNewAsync(viewer.Token, "apns", "a0b1c2d3");

        await host.Api.VoteOkAsync(viewer.Token, e.Contestants[0]);

        JsonElement dead = default;
        await SmsTestHost.EventuallyAsync(async () =>
        {
            var list = await host.Api.GetAsync("/api/v1/admin/outbox?status=dead&kind=push", admin: true);
            var rows = list.Data.GetProperty("entries").EnumerateArray().ToList();
            if (rows.Count == 1) dead = rows[0];
            return rows.Count == 1;
        }, "a dead letter");
        Assert.Equal(("push", "apns", $"voter:{viewer.UserId}", 1), (dead.GetProperty("kind").GetString(), dead.GetProperty("carrier").GetString(),
            dead.GetProperty("recipient").GetString(), dead.GetProperty("attempts").GetInt32()));
        Assert.Contains("apns push is not configured: set Push:Apns:", dead.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Empty(host.Apns.Notifications.Items);
    }

    [Fact]
    public async Task AVoterWithoutADeviceGetsNoNotification()
    {
        await using var host = await PushTestHost.StartAsync(kind);
        var e = await host.Api.OpenEpisodeAsync();
        var (withDevice, without) = (await host.Api.SignInAsync(), await host.Api.SignInAsync());
        await host.RegisterNewAsync(withDevice.Token, "fcm", "fcm-device-1");

        await host.Api.VoteOkAsync(without.Token, e.Contestants[0]);
        await host.Api.VoteOkAsync(withDevice.Token, e.Contestants[1]);

        await host.Fcm.Messages.WaitForAsync(m => m.Status == 200);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(["fcm-device-1"], host.Fcm.Messages.Items.Select(m => m.Token));
        Assert.Single(await host.PushRowsAsync());
        Assert.Equal(0, await host.Database.CountRowsAsync("push_pending"));
    }
}

public sealed class SqlitePushDeliveryTests() : PushDeliveryTests(StoreKind.Sqlite);

public sealed class PostgresPushDeliveryTests() : PushDeliveryTests(StoreKind.Postgres);
