using System.Text.Json;

namespace Voting.Server.Tests.Infrastructure;

/// <summary>The voting server with its carriers pointed at a <see cref="FakeCarrier"/>, and a driver for the webhooks.</summary>
public sealed class SmsTestHost : IAsyncDisposable
{
    private SmsTestHost(VotingTestServer server, FakeCarrier carrier)
    {
        Server = server;
        Carrier = carrier;
        Sms = new SmsDriver(server.Client);
    }

    public VotingTestServer Server { get; }
    public FakeCarrier Carrier { get; }
    public SmsDriver Sms { get; }
    public ApiDriver Api => Server.Api;
    public TestDatabase Database => Server.Database;

    public static async Task<SmsTestHost> StartAsync(StoreKind kind, IDictionary<string, string?>? settings = null, TimeProvider? time = null,
        string environment = "Development")
    {
        var carrier = await FakeCarrier.StartAsync();
        var config = carrier.Settings();
        config["Outbox:PollMilliseconds"] = "50";
        config["Outbox:FirstRetryMilliseconds"] = "100";
        foreach (var kv in settings ?? new Dictionary<string, string?>()) config[kv.Key] = kv.Value;
        try
        {
            return new SmsTestHost(await VotingTestServer.StartAsync(kind, time, config, environment: environment), carrier);
        }
        catch
        {
            await carrier.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="what"/> after the timeout.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"timed out waiting for {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>Rows written by SMS handling and sign-in: what a refused delivery must leave untouched.</summary>
    public async Task<(long Messages, long Votes, long Outbox, long Voters, long Charges)> RowsAsync() =>
        (await Database.CountRowsAsync("sms_messages"), await Database.CountRowsAsync("votes"), await Database.CountRowsAsync("outbox"),
            await Database.CountRowsAsync("voters"), await Database.CountRowsAsync("carrier_charges"));

    /// <summary>The operator's SMS view of an episode, or one carrier's part of it.</summary>
    public async Task<JsonElement> SmsStatsAsync(long episode, string? carrier = null)
    {
        var view = await Api.GetAsync($"/api/v1/admin/episodes/{episode}/sms", admin: true);
        Assert.Equal(200, view.Code);
        return carrier is null ? view.Data : view.Data.GetProperty("carriers").EnumerateArray().Single(c => c.GetProperty("carrier").GetString() == carrier);
    }

    /// <summary>The replies the carrier took for <paramref name="phone"/> (without the welcome the first carries), once there are at least <paramref name="count"/>.</summary>
    public async Task<List<string?>> RepliesToAsync(string phone, int count)
    {
        await EventuallyAsync(() => Task.FromResult(Carrier.Accepted.Count(r => r.Kind == "sms" && r.To == phone) >= count), $"{count} replies to {phone}");
        return Carrier.Accepted.Where(r => r.Kind == "sms" && r.To == phone).Select(r => r.Reply).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Carrier.DisposeAsync();
    }
}
