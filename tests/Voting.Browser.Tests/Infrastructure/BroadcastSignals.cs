using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Voting.Browser.Tests.Infrastructure;

/// <summary>
/// The control room: posts signed broadcast signals (X-Broadcast-Signature
/// t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;) as the broadcast system does, with
/// the secret the test servers are configured with.
/// </summary>
public sealed class BroadcastSignals(HttpClient client)
{
    private const string Secret = VotingTestServer.SignalSecret;

    public async Task SendAsync(string signal, object data)
    {
        var now = DateTimeOffset.UtcNow;
        var body = JsonSerializer.Serialize(new { @event = signal, timestamp = now.ToString("O", CultureInfo.InvariantCulture), data });
        var t = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{t}.{body}")));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/broadcast/signals")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("X-Broadcast-Signature", $"t={t},v1={mac}");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"signal {signal} answered {(int)response.StatusCode}: {text}");
    }
}
