using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Voting.LoadTest;

/// <summary>The few setup calls, each turning a non-success envelope into an <see cref="ApiException"/>.</summary>
internal sealed class ApiClient(HttpClient http, string adminKey)
{
    private static LoadTestJson Json => LoadTestJson.Default;

    public async Task<TokenData> SignInAsync(string phone, CancellationToken ct)
    {
        var otp = await SendAsync(Post("api/v1/auth/otp", new OtpRequest(phone), Json.OtpRequest), Json.EnvelopeOtpData, ct);
        var code = otp.DevCode ?? throw new ApiException(
            "no data.dev_code in the /auth/otp answer: is the server running in the Development environment?");
        var token = await SendAsync(
            Post("api/v1/auth/token", new TokenRequest(phone, code), Json.TokenRequest), Json.EnvelopeTokenData, ct);
        return token.AccessToken is null ? throw new ApiException("no data.access_token in the /auth/token answer") : token;
    }

    public Task<CurrentEpisodeData> CurrentEpisodeAsync(string accessToken, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/xfactor/voting/current_episode");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return SendAsync(request, Json.EnvelopeCurrentEpisodeData, ct);
    }

    /// <summary>The voter's profile; <paramref name="authorization"/> is the whole header value ("Bearer ...").</summary>
    public Task<MeData> MeAsync(string authorization, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/me");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return SendAsync(request, Json.EnvelopeMeData, ct);
    }

    public Task<CreditData> CreditAsync(long userId, int amount, CancellationToken ct)
    {
        var request = Post($"api/v1/admin/users/{userId}/vote_credits", new CreditRequest(amount, "load test"), Json.CreditRequest);
        request.Headers.Add("X-Api-Key", adminKey);
        return SendAsync(request, Json.EnvelopeCreditData, ct);
    }

    private static HttpRequestMessage Post<T>(string path, T body, JsonTypeInfo<T> info) =>
        new(HttpMethod.Post, path) { Content = JsonContent.Create(body, info) };

    private async Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<Envelope<T>> info, CancellationToken ct)
        where T : class
    {
        using (request)
        {
            using var response = await http.SendAsync(request, ct);
            Envelope<T>? envelope;
            try
            {
                envelope = await response.Content.ReadFromJsonAsync(info, ct);
            }
            catch (JsonException)
            {
                envelope = null;
            }
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode && envelope is { Success: true, Data: { } data }) return data;
            var code = envelope?.ErrorCode ?? "NO_ENVELOPE";
            var message = envelope?.Errors is [var first, ..] ? first : response.ReasonPhrase;
            throw new ApiException($"{request.Method} /{request.RequestUri}: {status} {code}: {message}", status, code);
        }
    }
}

internal sealed class ApiException(string message, int status = 0, string code = "") : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
}
