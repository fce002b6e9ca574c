using System.Text;
using System.Text.Json;
using Voting.Server.Show;

namespace Voting.Server.Tests.Infrastructure;

/// <summary>The control room: signed broadcast signals, as the broadcast system sends them.</summary>
public sealed class Signals(HttpClient client, TimeProvider clock, string secret = VotingTestServer.SignalSecret)
{
    public const string Path = "/api/v1/broadcast/signals";

    public static string Body(string @event, object data, DateTimeOffset? timestamp = null) =>
        JsonSerializer.Serialize(new { @event, timestamp = (timestamp ?? DateTimeOffset.UnixEpoch).ToString("O"), data });

    /// <summary>Posts a body with the given signature header (null: none).</summary>
    public async Task<ApiAnswer> PostRawAsync(string body, string? signature)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, Path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null) req.Headers.TryAddWithoutValidation(BroadcastSignature.Header, signature);
        using var res = await client.SendAsync(req);
        var text = await res.Content.ReadAsStringAsync();
        return new ApiAnswer(res.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), res.Headers);
    }

    /// <summary>The signature header for a body signed now (or at <paramref name="t"/>).</summary>
    public string Sign(string body, long? t = null, string? key = null) =>
        BroadcastSignature.Sign(key ?? secret, t ?? clock.GetUtcNow().ToUnixTimeSeconds(), Encoding.UTF8.GetBytes(body));

    public Task<ApiAnswer> SendAsync(string @event, object data) => SendBodyAsync(Body(@event, data, clock.GetUtcNow()));

    public Task<ApiAnswer> SendBodyAsync(string body) => PostRawAsync(body, Sign(body));

    /// <summary>A signal that must be applied; returns the show state it answers with.</summary>
    public async Task<JsonElement> OkAsync(string @event, object data)
    {
        var a = await SendAsync(@event, data);
        Assert.True(a.Code == 200, $"{@event} refused: {a.Code} {a.ErrorCode} {a.Body}");
        return a.Data;
    }
}
