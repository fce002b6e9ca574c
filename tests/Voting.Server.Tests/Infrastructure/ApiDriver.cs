using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Voting.Server.Tests.Infrastructure;

/// <summary>An answer: status, the parsed JSON body and a few headers.</summary>
public sealed record ApiAnswer(HttpStatusCode Status, JsonElement Body, HttpResponseHeaders Headers)
{
    public JsonElement Data => Body.GetProperty("data");
    public string? ErrorCode => Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty("error_code", out var c) ? c.GetString() : null;
    public int Code => (int)Status;
}

public sealed record SignedIn(string Token, long UserId, string Phone);

public sealed record TestEpisode(long SeasonId, long EpisodeId, IReadOnlyList<long> Contestants);

/// <summary>What a refused request must leave as it was: an episode's ledger and tallies, and one voter's wallet.</summary>
public sealed record LedgerSnapshot(long LedgerVotes, long VoteRows, long TallyVotes, string Digest, long Balance, long BundleVotes, long LoyaltyPoints);

/// <summary>Drives the HTTP API the way the mobile app and operators do.</summary>
public sealed class ApiDriver(HttpClient client, ErrorLog? errors = null)
{
    private static int _phoneSeq = Random.Shared.Next(0, 1_000_000);

    public HttpClient Client => client;

    /// <summary>A valid, unique Cambodian mobile number.</summary>
    public static string NewPhone() =>
        "012" + (Interlocked.Increment(ref _phoneSeq) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, string? json = null, string? token = null,
        bool admin = false, IDictionary<string, string>? headers = null)
    {
        using var req = new HttpRequestMessage(method, path);
        if (json is not null) req.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (token is not null) req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (admin) req.Headers.Add("X-Api-Key", VotingTestServer.AdminKey);
        foreach (var h in headers ?? new Dictionary<string, string>()) req.Headers.TryAddWithoutValidation(h.Key, h.Value);
        using var res = await client.SendAsync(req);
        var text = await res.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        // A 500 is never an expected answer: fail here with what the server logged about it.
        if (res.StatusCode == HttpStatusCode.InternalServerError && errors is not null)
            Assert.Fail($"500 from {method} {path}: {string.Join("\n", errors.Entries)}");
        return new ApiAnswer(res.StatusCode, body, res.Headers);
    }

    /// <summary>A GET whose body is kept as the server wrote it, for checks on the exact JSON text.</summary>
    public async Task<(HttpStatusCode Status, string Text)> GetTextAsync(string path, string? token = null)
    {
        using var req = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var res = await client.SendAsync(req);
        return (res.StatusCode, await res.Content.ReadAsStringAsync());
    }

    public Task<ApiAnswer> PostAsync(string path, object body, string? token = null, bool admin = false, IDictionary<string, string>? headers = null) =>
        SendAsync(HttpMethod.Post, path, JsonSerializer.Serialize(body), token, admin, headers);

    public Task<ApiAnswer> GetAsync(string path, string? token = null, bool admin = false) => SendAsync(HttpMethod.Get, path, null, token, admin);

    public async Task<SignedIn> SignInAsync(string? phone = null)
    {
        phone ??= NewPhone();
        var otp = await PostAsync("/api/v1/auth/otp", new { phone_number = phone });
        Assert.Equal(HttpStatusCode.OK, otp.Status);
        var code = otp.Data.GetProperty("dev_code").GetString()!;
        var token = await PostAsync("/api/v1/auth/token", new { phone_number = phone, code });
        Assert.Equal(HttpStatusCode.OK, token.Status);
        return new SignedIn(token.Data.GetProperty("access_token").GetString()!, token.Data.GetProperty("user_id").GetInt64(), phone);
    }

    public async Task<long> CreateAsync(string path, object body)
    {
        var a = await PostAsync(path, body, admin: true);
        Assert.Equal(HttpStatusCode.Created, a.Status);
        return a.Data.GetProperty("id").GetInt64();
    }

    /// <summary>A season, an episode and a line-up of <paramref name="contestants"/> (ballot numbers 1..n), voting not yet open.</summary>
    public async Task<TestEpisode> CreateEpisodeAsync(int contestants = 3, int episodeNumber = 1, long? seasonId = null)
    {
        var season = seasonId ?? await CreateAsync("/api/v1/admin/seasons", new { name = "Season", year = 2026, status = "active" });
        var episode = await CreateAsync("/api/v1/admin/episodes", new { season_id = season, episode_number = episodeNumber, title = $"Live {episodeNumber}" });
        var ids = new List<long>();
        for (var i = 1; i <= contestants; i++)
        {
            var c = await CreateAsync("/api/v1/admin/contestants", new { name = $"Contestant {i}", khmer_name = $"បេក្ខជន {i}" });
            var added = await PostAsync($"/api/v1/admin/episodes/{episode}/contestants", new { contestant_id = c, performance_order = i }, admin: true);
            Assert.Equal(HttpStatusCode.Created, added.Status);
            ids.Add(c);
        }
        return new TestEpisode(season, episode, ids);
    }

    public async Task<TestEpisode> OpenEpisodeAsync(int contestants = 3, int durationSeconds = 1800)
    {
        var e = await CreateEpisodeAsync(contestants);
        await OpenAsync(e.EpisodeId, durationSeconds);
        return e;
    }

    public async Task OpenAsync(long episode, int durationSeconds = 1800)
    {
        var open = await PostAsync($"/api/v1/admin/episodes/{episode}/voting/open", new { duration_seconds = durationSeconds }, admin: true);
        Assert.Equal(HttpStatusCode.OK, open.Status);
    }

    public async Task CreditAsync(long user, long amount)
    {
        var a = await PostAsync($"/api/v1/admin/users/{user}/vote_credits", new { amount, reason = "test" }, admin: true);
        Assert.Equal(HttpStatusCode.OK, a.Status);
    }

    public async Task AddToLineupAsync(long episode, long contestant, int ballotNumber)
    {
        var a = await PostAsync($"/api/v1/admin/episodes/{episode}/contestants", new { contestant_id = contestant, performance_order = ballotNumber }, admin: true);
        Assert.Equal(HttpStatusCode.Created, a.Status);
    }

    /// <summary>Grants a bundle of <paramref name="votes"/> and returns its id.</summary>
    public async Task<long> GrantBundleAsync(long user, long votes)
    {
        var a = await PostAsync($"/api/v1/admin/users/{user}/bundles", new { votes }, admin: true);
        Assert.Equal(HttpStatusCode.OK, a.Status);
        Assert.Equal(votes, a.Data.GetProperty("remaining_votes").GetInt64());
        return a.Data.GetProperty("bundle_id").GetInt64();
    }

    public Task<ApiAnswer> VoteAsync(string? token, long contestant, string type = "free", int count = 1, long? episode = null, string? key = null)
    {
        var headers = key is null ? null : new Dictionary<string, string> { ["Idempotency-Key"] = key };
        object body = episode is null
            ? new { contestant_id = contestant, vote_type = type, vote_count = count }
            : new { contestant_id = contestant, vote_type = type, vote_count = count, episode_id = episode };
        return PostAsync("/api/v1/xfactor/voting/cast_vote", body, token, headers: headers);
    }

    /// <summary>A vote that must be accepted; returns the answer's data.</summary>
    public async Task<JsonElement> VoteOkAsync(string token, long contestant, string type = "free", int count = 1, long? episode = null)
    {
        var a = await VoteAsync(token, contestant, type, count, episode);
        Assert.True(a.Status == HttpStatusCode.OK, $"vote {type} x{count} refused: {a.Code} {a.ErrorCode}");
        return a.Data;
    }

    public const string CastVotePath = "/api/v1/xfactor/voting/cast_vote";

    /// <summary>A cast_vote request with a raw body, for bodies the typed helper cannot express.</summary>
    public Task<ApiAnswer> CastRawAsync(string? token, string json, IDictionary<string, string>? headers = null) =>
        SendAsync(HttpMethod.Post, CastVotePath, json, token, headers: headers);

    public async Task<JsonElement> BalanceAsync(string token)
    {
        var a = await GetAsync("/api/v1/xfactor/voting/vote_balance", token);
        Assert.Equal(HttpStatusCode.OK, a.Status);
        return a.Data;
    }

    public async Task<LedgerSnapshot> SnapshotAsync(long episode, string token)
    {
        var audit = await AuditAsync(episode);
        var balance = await BalanceAsync(token);
        return new LedgerSnapshot(audit.GetProperty("ledger_votes").GetInt64(), audit.GetProperty("vote_rows").GetInt64(),
            audit.GetProperty("tally_votes").GetInt64(), audit.GetProperty("digest").GetString()!,
            balance.GetProperty("balance").GetInt64(), balance.GetProperty("bundle_votes").GetInt64(), balance.GetProperty("loyalty_points").GetInt64());
    }

    public async Task<JsonElement> AuditAsync(long episode)
    {
        var a = await GetAsync($"/api/v1/admin/episodes/{episode}/audit", admin: true);
        Assert.Equal(HttpStatusCode.OK, a.Status);
        return a.Data;
    }

    public async Task<JsonElement> ResultsAsync(long episode)
    {
        var a = await GetAsync($"/api/v1/xfactor/voting/results/{episode}");
        Assert.Equal(HttpStatusCode.OK, a.Status);
        return a.Data;
    }
}
