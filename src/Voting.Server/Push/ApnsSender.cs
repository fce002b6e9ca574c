using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Voting.Domain.Push;
using Voting.Storage;

namespace Voting.Server.Push;

/// <summary>
/// Apple Push Notification service: <c>POST {BaseUrl}/3/device/{token}</c> over HTTP/2 (APNs speaks
/// nothing else; over a cleartext http:// URL, as in tests, HTTP/2 with prior knowledge), with the
/// provider token and the app's bundle id as <c>apns-topic</c>. 410 means the token is gone.
/// </summary>
public sealed class ApnsSender(IHttpClientFactory http, IOptions<PushOptions> options, TimeProvider time) : IPushSender, IDisposable
{
    public const string HttpClientName = "apns";
    private readonly ApnsOptions _o = options.Value.Apns;
    private readonly ApnsProviderToken _token = new(options.Value.Apns, time);

    public string Platform => PushPlatforms.Apns;
    public bool IsConfigured => _o.IsConfigured;
    public string ConfigurationKeys => "Push:Apns:TeamId, KeyId, PrivateKeyFile and BundleId";

    public async Task<PushResult> SendAsync(PushPayload notification, CancellationToken ct)
    {
        string token;
        try
        {
            token = _token.Current();
        }
        catch (Exception e) when (e is IOException or CryptographicException or ArgumentException or UnauthorizedAccessException)
        {
            return new PushResult(PushOutcome.Rejected, $"Push:Apns:PrivateKeyFile is not a usable .p8 key: {e.Message}");
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"{_o.BaseUrl.TrimEnd('/')}/3/device/{Uri.EscapeDataString(notification.Token)}"))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = FcmSender.JsonContent(Payload(notification)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("bearer", token);
        request.Headers.TryAddWithoutValidation("apns-topic", _o.BundleId);
        request.Headers.TryAddWithoutValidation("apns-push-type", "alert");
        request.Headers.TryAddWithoutValidation("apns-priority", "10");
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
            if (response.IsSuccessStatusCode) return PushResult.Sent;
            var status = (int)response.StatusCode;
            var reason = Reason(await response.Content.ReadAsStringAsync(ct));
            if (status == 410) return new PushResult(PushOutcome.TokenGone, $"APNs: {reason ?? "Unregistered"}");
            var error = $"HTTP {status} from APNs: {reason}";
            if (status == 403 && reason == "ExpiredProviderToken")
            {
                _token.Renew(token);
                return new PushResult(PushOutcome.Retry, error);
            }
            return PushAnswers.OfStatus(status, error);
        }
        catch (HttpRequestException e)
        {
            return new PushResult(PushOutcome.Retry, $"APNs unreachable: {e.HttpRequestError}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new PushResult(PushOutcome.Retry, "APNs did not answer in time");
        }
    }

    /// <summary>The alert, and the app's data beside <c>aps</c> (numbers stay numbers here).</summary>
    internal static JsonObject Payload(PushPayload n)
    {
        var body = new JsonObject
        {
            ["aps"] = new JsonObject
            {
                ["alert"] = new JsonObject { ["title"] = n.Title, ["body"] = n.Body },
                ["sound"] = "default",
            },
            ["type"] = n.Data.Type,
        };
        if (n.Data.ContestantId is { } c) body["contestant_id"] = c;
        if (n.Data.EpisodeId is { } e) body["episode_id"] = e;
        if (n.Data.VoteCount is { } v) body["vote_count"] = v;
        if (n.Data.PurchaseId is { } p) body["purchase_id"] = p;
        return body;
    }

    /// <summary>APNs explains an error as <c>{ "reason": "..." }</c>.</summary>
    private static string? Reason(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("reason", out var r) ? r.GetString() : null;
        }
        catch (JsonException)
        {
            return body.Length == 0 ? null : PushAnswers.Shorten(body);
        }
    }

    public void Dispose() => _token.Dispose();
}
