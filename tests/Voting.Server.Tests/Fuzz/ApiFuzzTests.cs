using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Voting.Server.Show;
using Voting.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Voting.Server.Tests.Fuzz;

/// <summary>
/// Malformed input to every operation of the served /openapi/v1.json, the carrier and store webhooks
/// and the broadcast signals, with no, wrong and right credentials: never a 5xx and nothing logged as
/// an error, and afterwards the server is healthy, its ledger and wallets check out, and a normal vote
/// counts. The cases come from a fixed seed, so a failure names a request that fails again.
/// </summary>
public abstract class ApiFuzzTests(StoreKind kind, ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const int Seed = 20_261_130;
    private const string DeviceToken = "fuzz-device-token";
    private readonly AppleTestCa _apple = new();
    private FakeGooglePlay _play = null!;
    private SmsTestHost _host = null!;
    private string _rootFile = "";

    public async Task InitializeAsync()
    {
        _play = await FakeGooglePlay.StartAsync();
        _rootFile = Path.Combine(Path.GetTempPath(), "xfactor-tests", $"apple-root-{Guid.NewGuid():N}.pem");
        Directory.CreateDirectory(Path.GetDirectoryName(_rootFile)!);
        await File.WriteAllTextAsync(_rootFile, _apple.RootCertificate.ExportCertificatePem());
        var settings = _play.Settings();
        settings["Purchases:Apple:BundleId"] = AppleTestCa.BundleId;
        settings["Purchases:Apple:Environment"] = "Sandbox";
        settings["Purchases:Apple:RootCertificates:0"] = _rootFile;
        // Bodies are what is fuzzed: past the per-voter limit every cast_vote would be a 429 whatever its body.
        settings["Voting:VoteRequestsPerMinute"] = "1000000";
        _host = await SmsTestHost.StartAsync(kind, settings);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _play.DisposeAsync();
        File.Delete(_rootFile);
    }

    public void Dispose()
    {
        _apple.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task MalformedInputToEveryOperationIsNeverA5xxAndLeavesTheServerHealthy()
    {
        var api = _host.Api;
        var show = await api.OpenEpisodeAsync();
        var viewer = await api.SignInAsync();
        // Signed in before the fuzz, so the sign-in limits the fuzz may use up are not the final check's.
        var checker = await api.SignInAsync();
        var package = await api.CreateAsync("/api/v1/admin/vote_packages",
            new { name = "10 Votes", vote_count = 10, price = 0.99m, ios_product_id = "com.hangmeas.votes.10", android_product_id = "votes_10" });
        Assert.Equal(HttpStatusCode.Created, (await api.PostAsync("/api/v1/me/push_tokens", new { platform = "fcm", token = DeviceToken }, viewer.Token)).Status);
        var document = await api.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, document.Status);

        // Operations that end the episode's voting or take contestants out go last, so the others meet an open episode.
        var operations = WithWebhooksAndSignals(FuzzOperation.FromOpenApi(document.Body), show.EpisodeId)
            .OrderBy(o => o.Route.EndsWith("/voting/close", StringComparison.Ordinal) || o.Route.EndsWith("/eliminate", StringComparison.Ordinal)).ToList();
        string Fill(FuzzOperation op, string name) => name switch
        {
            "token" => DeviceToken,
            _ when op.Route.StartsWith("/api/v1/admin/contestants/", StringComparison.Ordinal) => show.Contestants[0].ToString(Inv),
            _ when op.Route.Contains("/users/{", StringComparison.Ordinal) => viewer.UserId.ToString(Inv),
            _ when op.Route.Contains("/vote_packages/{", StringComparison.Ordinal) => package.ToString(Inv),
            _ => show.EpisodeId.ToString(Inv),
        };

        var random = new Random(Seed);
        var failures = new List<string>();
        var sent = 0;
        var clock = Stopwatch.StartNew();
        using var client = new HttpClient { BaseAddress = _host.Server.Address, Timeout = TimeSpan.FromSeconds(30) };
        foreach (var op in operations)
        {
            foreach (var request in FuzzCases.For(op, Fill, random).Concat(ExtraCases(op, show.EpisodeId)))
            {
                sent++;
                var (status, text) = await SendAsync(client, request, viewer.Token);
                if (status is null or >= 500)
                    failures.Add($"{request.Method} {Shorten(request.Path, 120)} [{request.What}, {request.Credential} credential] -> {status?.ToString(Inv) ?? "no answer"}: {Shorten(text, 300)}");
            }
        }
        output.WriteLine($"{kind}: {sent} requests to {operations.Count} operations in {clock.Elapsed.TotalSeconds:F1} s");
        var logged = _host.Server.Errors.Entries;
        Assert.True(failures.Count == 0 && logged.Count == 0,
            $"{failures.Count} of {sent} requests failed:\n{string.Join("\n", failures.Take(40))}\nserver errors:\n{string.Join("\n", logged.Take(10).Select(e => Shorten(e, 2000)))}");
        Assert.True(operations.Count >= 35, $"only {operations.Count} operations");

        await AssertHealthyAsync(show.EpisodeId, checker);
    }

    /// <summary>After the fuzz: /health, the ledger's audit and the wallet check agree, and a normal vote counts.</summary>
    private async Task AssertHealthyAsync(long fuzzedEpisode, SignedIn checker)
    {
        var api = _host.Api;
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/health")).Status);
        Assert.True((await api.AuditAsync(fuzzedEpisode)).GetProperty("consistent").GetBoolean());
        var wallets = await api.GetAsync("/api/v1/admin/audit/wallets", admin: true);
        Assert.True(wallets.Data.GetProperty("consistent").GetBoolean(), wallets.Body.ToString());
        var current = await api.GetAsync("/api/v1/xfactor/voting/current_episode");
        if (current.Status == HttpStatusCode.OK)
            await api.PostAsync($"/api/v1/admin/episodes/{current.Data.GetProperty("episode").GetProperty("id").GetInt64()}/voting/close", new { }, admin: true);

        var fresh = await api.OpenEpisodeAsync();
        var vote = await api.VoteOkAsync(checker.Token, fresh.Contestants[1], count: 2);

        Assert.Equal(2, vote.GetProperty("contestant").GetProperty("current_votes").GetInt64());
        Assert.Equal(2, (await api.ResultsAsync(fresh.EpisodeId)).GetProperty("vote_breakdown").GetProperty("total_votes").GetInt64());
    }

    private static readonly IFormatProvider Inv = System.Globalization.CultureInfo.InvariantCulture;

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    /// <summary>The carrier webhooks, the store webhooks and the broadcast signals with bodies as their senders write them (replacing the document's entries).</summary>
    private static List<FuzzOperation> WithWebhooksAndSignals(List<FuzzOperation> documented, long episode)
    {
        static FuzzField F(string name, string baseline) => new(name, baseline);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(Inv);
        var rtdn = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $$$"""{"packageName":"{{{FakeGooglePlay.PackageName}}}","voidedPurchaseNotification":{"purchaseToken":"t","orderId":"GPA.1","productType":2}}"""));
        FuzzOperation[] ours =
        [
            new("POST", "/webhooks/sms/smart", [F("from", "\"010123456\""), F("to", "\"1255\""), F("message", "\"VOTE 1\""), F("message_id", "\"fz-1\""), F("timestamp", now)], [], true),
            new("POST", "/webhooks/sms/cellcard", [F("msisdn", "\"012123456\""), F("short_code", "\"1255\""), F("text", "\"VOTE 2\""), F("msg_id", "\"fz-2\""),
                F("received_at", now), F("api_token", $"\"{FakeCarrier.CellcardToken}\"")], [], true),
            new("POST", "/webhooks/sms/metfone", [F("sender", "\"097123456\""), F("receiver", "\"1255\""), F("content", "\"VOTE 3\""), F("sms_id", "\"fz-3\""), F("recv_time", now)], [], true),
            new("POST", "/webhooks/appstore", [F("signedPayload", "\"eyJhbGciOiJFUzI1NiJ9.e30.c2ln\"")], [], true),
            new("POST", "/webhooks/googleplay", [F("message", $$"""{"data":"{{rtdn}}","messageId":"1"}"""), F("subscription", "\"projects/p/subscriptions/s\"")], [], true),
            new("POST", Signals.Path, [F("event", "\"SHOW_START\""), F("timestamp", "\"2026-01-01T00:00:00Z\""), F("data", $$"""{"episode_id":{{episode}}}""")], [], true),
        ];
        return [.. documented.Where(d => !ours.Any(o => o.Method == d.Method && o.Route == d.Route)), .. ours];
    }

    /// <summary>Nested shapes the per-field cases do not reach: inside a signal's data and a Pub/Sub message.</summary>
    private static IEnumerable<FuzzRequest> ExtraCases(FuzzOperation op, long episode)
    {
        static byte[] B(string text) => Encoding.UTF8.GetBytes(text);
        var otherApp = Convert.ToBase64String(B("""{"packageName":"other.app","testNotification":{}}"""));
        var nulOrderId = Convert.ToBase64String(B("""{"packageName":"com.hangmeas.xfactor","voidedPurchaseNotification":{"purchaseToken":"tok","orderId":"a\u0000"}}"""));
        string[] bodies = op.Route switch
        {
            Signals.Path =>
            [
                $$$"""{"event":"PERFORMANCE_START","timestamp":"2026-01-01T00:00:00Z","data":{"episode_id":{{{episode}}},"contestant_id":"\u0000"}}""",
                $$$"""{"event":"PERFORMANCE_START","timestamp":"2026-01-01T00:00:00Z","data":{"episode_id":{{{episode}}},"contestant_id":999999999,"song_name":"\ud800"}}""",
                $$$"""{"event":"VOTING_OPEN","timestamp":"2026-01-01T00:00:00Z","data":{"episode_id":{{{episode}}},"duration":-5}}""",
                $$$"""{"event":"VOTING_OPEN","timestamp":"2026-01-01T00:00:00Z","data":{"episode_id":{{{episode}}},"duration":99999999999}}""",
                """{"event":"SHOW_END","timestamp":"not a time","data":{"episode_id":9223372036854775807}}""",
                """{"event":"SHOW_END","timestamp":"2026-01-01T00:00:00Z","data":{"episode_id":1e400}}""",
            ],
            "/webhooks/googleplay" => new[]
            {
                """{"packageName":"com.hangmeas.xfactor","voidedPurchaseNotification":{"purchaseToken":"\ud800","orderId":"a\u0000"}}""",
                """{"packageName":"\u0000","voidedPurchaseNotification":{"purchaseToken":"x","orderId":"y"}}""",
                "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]",
                "not json",
            }.Select(d => $$$"""{"message":{"data":"{{{Convert.ToBase64String(B(d))}}}","messageId":"m-{{{d.Length}}}"}}""")
                .Append("""{"message":{"data":"!!!not base64!!!","messageId":"x"}}""")
                .Append($$$"""{"message":{"data":"{{{Convert.ToBase64String([0xff, 0xfe, 0x00])}}}","messageId":"\u0000"}}""")
                .Append("""{"message":{"data":"e30=","messageId":"\ud800"}}""")
                .Append($$$"""{"message":{"data":"{{{otherApp}}}","messageId":"a\u0000b"}}""")
                .Append($$$"""{"message":{"data":"{{{nulOrderId}}}","messageId":"n-1"}}""")
                .ToArray(),
            _ => [],
        };
        return bodies.Select(b => new FuzzRequest(op.Method, op.Route, B(b), "application/json", FuzzCredential.Right, $"nested: {Shorten(b, 80)}"));
    }

    private async Task<(int? Status, string Text)> SendAsync(HttpClient client, FuzzRequest r, string viewerToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(r.Method), r.Path);
        var body = r.Body ?? [];
        if (r.Body is not null)
        {
            request.Content = new ByteArrayContent(r.Body);
            if (r.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", r.ContentType);
        }
        Authenticate(request, r, body, viewerToken);
        try
        {
            using var response = await client.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return (null, e.Message);
        }
    }

    /// <summary>The route's own credential: right, wrong, or none.</summary>
    private void Authenticate(HttpRequestMessage request, FuzzRequest r, byte[] body, string viewerToken)
    {
        if (r.Credential == FuzzCredential.None) return;
        var right = r.Credential == FuzzCredential.Right;
        var path = r.Path.Split('?')[0];
        var headers = request.Headers;
        switch (path)
        {
            case var p when p.StartsWith("/api/v1/admin/", StringComparison.Ordinal):
                headers.TryAddWithoutValidation("X-Api-Key", right ? VotingTestServer.AdminKey : "wrong-key");
                break;
            case "/webhooks/sms/smart":
                headers.TryAddWithoutValidation("X-Smart-Signature",
                    right ? Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(FakeCarrier.SmartSecret), body)) : "00ff");
                break;
            case "/webhooks/sms/metfone":
                headers.TryAddWithoutValidation("Authorization", $"Bearer {(right ? FakeCarrier.MetfoneKey : "wrong-key")}");
                break;
            case "/webhooks/sms/cellcard" or "/webhooks/appstore":
                break; // the credential is in the body
            case "/webhooks/googleplay":
                headers.TryAddWithoutValidation("Authorization", $"Bearer {(right ? _play.MintPushToken() : "a.b.c")}");
                break;
            case Signals.Path:
                headers.TryAddWithoutValidation(BroadcastSignature.Header,
                    right ? BroadcastSignature.Sign(VotingTestServer.SignalSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body) : "t=1,v1=00");
                break;
            default:
                headers.TryAddWithoutValidation("Authorization", $"Bearer {(right ? viewerToken : "not.a.jwt")}");
                break;
        }
    }
}

public sealed class SqliteApiFuzzTests(ITestOutputHelper output) : ApiFuzzTests(StoreKind.Sqlite, output);

public sealed class PostgresApiFuzzTests(ITestOutputHelper output) : ApiFuzzTests(StoreKind.Postgres, output);
