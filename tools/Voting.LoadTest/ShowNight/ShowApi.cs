using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Voting.LoadTest.ShowNight;

/// <summary>An answer: status and the parsed body (null when it was not JSON).</summary>
internal sealed record Answer(int Status, JsonNode? Body)
{
    public bool Ok => Status is >= 200 and < 300 && Body?["success"]?.GetValue<bool>() != false;
    public JsonNode? Data => Body?["data"];
    public string ErrorCode => Body?["error_code"]?.GetValue<string>() ?? "(no error_code)";

    public JsonNode Need(string what) =>
        Ok && Data is { } d ? d : throw new ApiException($"{what}: {Status} {ErrorCode} {Body?.ToJsonString()}", Status, ErrorCode);
}

/// <summary>The operator's, the control room's and the viewers' calls the show needs, beyond <see cref="ApiClient"/>'s.</summary>
internal sealed class ShowApi(HttpClient http, string adminKey, string signalSecret, TimeProvider time)
{
    public async Task<long> CreateAsync(string path, JsonObject body, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Post, path, body, admin: true, ct)).Need("POST /" + path)["id"]!.GetValue<long>();

    /// <summary>A season, an episode and a line-up of <paramref name="contestants"/>; ballot numbers 1..n in the order of the ids returned.</summary>
    public async Task<(long Episode, IReadOnlyList<long> Contestants)> CreateEpisodeAsync(string title, int contestants, CancellationToken ct)
    {
        var ids = new List<long>();
        var season = await CreateAsync("api/v1/admin/seasons",
            new JsonObject { ["name"] = title, ["year"] = time.GetUtcNow().Year, ["status"] = "active" }, ct);
        var episode = await CreateAsync("api/v1/admin/episodes",
            new JsonObject { ["season_id"] = season, ["episode_number"] = 1, ["title"] = title }, ct);
        for (var i = 1; i <= contestants; i++)
        {
            var contestant = await CreateAsync("api/v1/admin/contestants", new JsonObject { ["name"] = $"Singer {i}", ["hometown"] = "Phnom Penh" }, ct);
            (await SendAsync(HttpMethod.Post, $"api/v1/admin/episodes/{episode}/contestants",
                new JsonObject { ["contestant_id"] = contestant, ["performance_order"] = i, ["song_performed"] = $"Song {i}" }, admin: true, ct))
                .Need("add to the line-up");
            ids.Add(contestant);
        }
        return (episode, ids);
    }

    public async Task BundleAsync(long userId, int votes, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Post, $"api/v1/admin/users/{userId}/bundles", new JsonObject { ["votes"] = votes }, admin: true, ct)).Need("bundle");

    public async Task<JsonNode> GetAdminAsync(string path, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Get, path, null, admin: true, ct)).Need("GET /" + path);

    public async Task<JsonNode> GetAsync(string path, string? authorization, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return (await SendAsync(request, ct)).Need("GET /" + path);
    }

    /// <summary>A broadcast signal, signed as the control room signs it: <c>t=&lt;unix s&gt;,v1=HMAC-SHA256("t.body")</c>.</summary>
    public async Task<Answer> SignalAsync(string @event, long episode, CancellationToken ct, long? contestant = null, string? song = null, long? duration = null)
    {
        var data = new JsonObject { ["episode_id"] = episode };
        if (contestant is { } c) data["contestant_id"] = c;
        if (song is not null) data["song_name"] = song;
        if (duration is { } d) data["duration"] = d;
        var now = time.GetUtcNow();
        var body = new JsonObject { ["event"] = @event, ["timestamp"] = now.ToString("O", CultureInfo.InvariantCulture), ["data"] = data }.ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/broadcast/signals") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("X-Broadcast-Signature", Sign(signalSecret, now.ToUnixTimeSeconds(), body));
        return await SendAsync(request, ct);
    }

    public static string Sign(string secret, long t, string body)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{t}.{body}")));
        return string.Create(CultureInfo.InvariantCulture, $"t={t},v1={Convert.ToHexStringLower(mac)}");
    }

    private Task<Answer> SendAsync(HttpMethod method, string path, JsonObject? body, bool admin, CancellationToken ct)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        if (admin) request.Headers.Add("X-Api-Key", adminKey);
        return SendAsync(request, ct, dispose: true);
    }

    private async Task<Answer> SendAsync(HttpRequestMessage request, CancellationToken ct, bool dispose = false)
    {
        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            JsonNode? node = null;
            if (response.Content.Headers.ContentType is MediaTypeHeaderValue { MediaType: "application/json" } && text.Length > 0)
            {
                try
                {
                    node = JsonNode.Parse(text);
                }
                catch (System.Text.Json.JsonException)
                {
                }
            }
            return new Answer((int)response.StatusCode, node);
        }
        finally
        {
            if (dispose) request.Dispose();
        }
    }
}
