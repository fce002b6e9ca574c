namespace Voting.Server.Tests.Infrastructure;

/// <summary>The voting server with its push senders pointed at a <see cref="FakeFcm"/> and a <see cref="FakeApns"/>.</summary>
public sealed class PushTestHost : IAsyncDisposable
{
    public const string TokensPath = "/api/v1/me/push_tokens";

    private PushTestHost(VotingTestServer server, FakeFcm fcm, FakeApns apns)
    {
        Server = server;
        Fcm = fcm;
        Apns = apns;
    }

    public VotingTestServer Server { get; }
    public FakeFcm Fcm { get; }
    public FakeApns Apns { get; }
    public ApiDriver Api => Server.Api;
    public TestDatabase Database => Server.Database;

    /// <param name="coalesceSeconds">Push:CoalesceSeconds: short, so a test waits little for its notifications.</param>
    /// <param name="apns">Whether APNs is configured at all.</param>
    public static async Task<PushTestHost> StartAsync(StoreKind kind, int coalesceSeconds = 1, bool apns = true,
        IDictionary<string, string?>? settings = null)
    {
        var fcm = await FakeFcm.StartAsync();
        var fakeApns = await FakeApns.StartAsync();
        var config = fcm.Settings();
        if (apns)
        {
            foreach (var kv in fakeApns.Settings()) config[kv.Key] = kv.Value;
        }
        config["Push:CoalesceSeconds"] = coalesceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        config["Push:ScanMilliseconds"] = "100";
        config["Outbox:PollMilliseconds"] = "50";
        config["Outbox:FirstRetryMilliseconds"] = "100";
        foreach (var kv in settings ?? new Dictionary<string, string?>()) config[kv.Key] = kv.Value;
        try
        {
            return new PushTestHost(await VotingTestServer.StartAsync(kind, settings: config), fcm, fakeApns);
        }
        catch
        {
            await fcm.DisposeAsync();
            await fakeApns.DisposeAsync();
            throw;
        }
    }

    public Task<ApiAnswer> RegisterAsync(string accessToken, string platform, string token) =>
        Api.PostAsync(TokensPath, new { platform, token }, accessToken);

    /// <summary>Registers a device that must be new (201).</summary>
    public async Task RegisterNewAsync(string accessToken, string platform, string token)
    {
        var a = await RegisterAsync(accessToken, platform, token);
        Assert.True(a.Code == 201, $"registering {platform} {token}: {a.Code} {a.Body}");
    }

    /// <summary>The outbox rows of push notifications: (status, attempts, last_error) by idempotency key.</summary>
    public async Task<List<(string Status, long Attempts, string? Error)>> PushRowsAsync() =>
        (await Database.QueryAsync("SELECT status, attempts, last_error FROM outbox WHERE kind = 'push' ORDER BY id"))
            .Select(r => ((string)r[0]!, Convert.ToInt64(r[1]), r[2] as string)).ToList();

    public async Task<long> TokenCountAsync(string token) => await Database.CountAsync("SELECT COUNT(*) FROM push_tokens WHERE token = $1", token);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Fcm.DisposeAsync();
        await Apns.DisposeAsync();
    }
}
