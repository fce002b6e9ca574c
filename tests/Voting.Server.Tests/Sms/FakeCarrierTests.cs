using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Sms;

/// <summary>The fake carrier as a benchmark runs it (Voting.LoadTest carrier): counting only, the same protocol as the tests'.</summary>
public sealed class FakeCarrierTests
{
    private static readonly CarrierCredentials Bench = new("bench-smart", "bench-cellcard", "bench-metfone");

    [Fact]
    public async Task ACountingCarrierChecksEachCarriersCredentialsAndCountsWhatItAcceptsEachKeyOnce()
    {
        await using var carrier = await FakeCarrier.StartAsync(new FakeCarrierOptions(Record: false, Credentials: Bench));
        using var http = new HttpClient { BaseAddress = carrier.Address };

        var body = """{"to":"010123456","message":"hi","idempotency_key":"k1"}""";
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData("bench-smart"u8, Encoding.UTF8.GetBytes(body)));
        Assert.Equal("""{"status":"ok"}""", await PostAsync(http, "smart/sms", body, ("X-Smart-Signature", signature), ("Idempotency-Key", "k1")));
        // The same key again is answered as before but counted apart: a carrier sends and bills a key once.
        Assert.Equal("""{"status":"ok"}""", await PostAsync(http, "smart/sms", body, ("X-Smart-Signature", signature), ("Idempotency-Key", "k1")));
        Assert.Equal("""{"status":"ok"}""", await PostAsync(http, "smart/sms", body, ("X-Smart-Signature", signature), ("Idempotency-Key", "k2")));
        Assert.Equal("""{"status":"confirmed"}""", await PostAsync(http, "smart/charge", body, ("X-Smart-Signature", signature)));
        Assert.Null(await PostAsync(http, "smart/sms", body, ("X-Smart-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(
            Encoding.UTF8.GetBytes(FakeCarrier.SmartSecret), Encoding.UTF8.GetBytes(body))))));
        Assert.Equal("""{"success":true}""", await PostAsync(http, "cellcard/charge", """{"nested":{"api_token":"no"},"api_token":"bench-cellcard"}"""));
        Assert.Null(await PostAsync(http, "cellcard/sms", """{"nested":{"api_token":"bench-cellcard"}}"""));
        Assert.Equal("<response><status>OK</status></response>", await PostAsync(http, "metfone/sms", "{}", ("Authorization", "Bearer bench-metfone")));
        Assert.Null(await PostAsync(http, "metfone/sms", "{}", ("Authorization", "Bearer metfone-test-key")));

        var stats = JsonDocument.Parse(await http.GetStringAsync("stats")).RootElement;
        Assert.Equal(2, stats.GetProperty("smart").GetProperty("sms").GetInt64());
        Assert.Equal(1, stats.GetProperty("repeated").GetInt64());
        Assert.Equal(1, stats.GetProperty("smart").GetProperty("charge").GetInt64());
        Assert.Equal(1, stats.GetProperty("cellcard").GetProperty("charge").GetInt64());
        Assert.Equal(0, stats.GetProperty("cellcard").GetProperty("sms").GetInt64());
        Assert.Equal(1, stats.GetProperty("metfone").GetProperty("sms").GetInt64());
        Assert.Equal(3, stats.GetProperty("unauthorized").GetInt64());
        Assert.Throws<InvalidOperationException>(() => carrier.Requests);
    }

    [Fact]
    public async Task TheServersDispatcherDeliversATextsReplyAndChargeToACountingCarrier()
    {
        await using var carrier = await FakeCarrier.StartAsync(new FakeCarrierOptions(Record: false));
        var settings = carrier.Settings();
        settings["Outbox:PollMilliseconds"] = "50";
        await using var server = await VotingTestServer.StartAsync(StoreKind.Sqlite, settings: settings);
        await server.Api.OpenEpisodeAsync();

        Assert.True((await new SmsDriver(server.Client).TextAsync("smart", SmsDriver.NewPhone("smart"), "VOTE 1")).Processed);

        await SmsTestHost.EventuallyAsync(() => Task.FromResult(carrier.Counts.Accepted("smart", "sms") == 1 && carrier.Counts.Accepted("smart", "charge") == 1),
            "the reply (with the welcome) and the charge at the carrier");
    }

    /// <summary>The answer's body when the carrier took the request (200), null when it refused it (401).</summary>
    private static async Task<string?> PostAsync(HttpClient http, string path, string body, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")) };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        using var response = await http.SendAsync(request);
        if ((int)response.StatusCode == 401) return null;
        Assert.Equal(200, (int)response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
