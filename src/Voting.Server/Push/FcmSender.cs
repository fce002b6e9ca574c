using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Apis.Auth.OAuth2.Responses;
using Microsoft.Extensions.Options;
using Voting.Domain.Push;
using Voting.Server.Infrastructure;
using Voting.Server.Outbox;
using Voting.Storage;

namespace Voting.Server.Push;

/// <summary>
/// Firebase Cloud Messaging, HTTP v1: <c>POST {BaseUrl}/v1/projects/{ProjectId}/messages:send</c> with
/// an OAuth access token of the service account (fetched from the key's <c>token_uri</c> and kept
/// until shortly before it expires). FCM wants every <c>data</c> value as a string.
/// </summary>
public sealed class FcmSender(IHttpClientFactory http, IOptions<PushOptions> options, IOptions<OutboxOptions> outbox) : IPushSender, IDisposable
{
    public const string HttpClientName = "fcm";
    private const string Scope = "https://www.googleapis.com/auth/firebase.messaging";
    private readonly FcmOptions _o = options.Value.Fcm;
    private readonly ServiceAccountTokens? _tokens = options.Value.Fcm.IsConfigured ? new(options.Value.Fcm.ServiceAccountKeyFile!, Scope) : null;

    public string Platform => PushPlatforms.Fcm;
    public bool IsConfigured => _o.IsConfigured;
    public string ConfigurationKeys => "Push:Fcm:ProjectId and Push:Fcm:ServiceAccountKeyFile";

    public async Task<PushResult> SendAsync(PushPayload notification, CancellationToken ct)
    {
        // One deadline for the access token (rarely fetched) and the message: the outbox's lease
        // leaves a row's delivery Outbox:TimeoutSeconds, not twice that.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(outbox.Value.Timeout);
        try
        {
            return await SendWithinAsync(notification, ct, deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new PushResult(PushOutcome.Retry, "FCM did not answer in time");
        }
    }

    private async Task<PushResult> SendWithinAsync(PushPayload notification, CancellationToken stopping, CancellationToken ct)
    {
        string accessToken;
        try
        {
            accessToken = await _tokens!.GetAccessTokenAsync(ct);
        }
        catch (TokenResponseException e)
        {
            var status = (int?)e.StatusCode ?? 503;
            return PushAnswers.OfStatus(status, $"FCM access token refused (HTTP {status}): {e.Error?.Error}");
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or JsonException or ArgumentException)
        {
            return new PushResult(PushOutcome.Rejected, $"Push:Fcm:ServiceAccountKeyFile is not a usable service-account key: {e.Message}");
        }
        catch (HttpRequestException e)
        {
            return new PushResult(PushOutcome.Retry, $"FCM token endpoint unreachable: {e.HttpRequestError}");
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return new PushResult(PushOutcome.Retry, "FCM token endpoint did not answer in time");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, MessagesUrl())
        {
            Content = JsonContent(Message(notification)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
            if (response.IsSuccessStatusCode) return PushResult.Sent;
            var body = await response.Content.ReadAsStringAsync(ct);
            var status = (int)response.StatusCode;
            var code = ErrorCode(body);
            if (status == 404 && code == "UNREGISTERED") return new PushResult(PushOutcome.TokenGone, "FCM: UNREGISTERED");
            return PushAnswers.OfStatus(status, $"HTTP {status} from FCM{(code is null ? "" : $" ({code})")}: {PushAnswers.Shorten(body)}");
        }
        catch (HttpRequestException e)
        {
            return new PushResult(PushOutcome.Retry, $"FCM unreachable: {e.HttpRequestError}");
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            return new PushResult(PushOutcome.Retry, "FCM did not answer in time");
        }
    }

    private Uri MessagesUrl() => new($"{_o.BaseUrl.TrimEnd('/')}/v1/projects/{Uri.EscapeDataString(_o.ProjectId!)}/messages:send", UriKind.Absolute);

    internal static JsonObject Message(PushPayload n)
    {
        var data = new JsonObject { ["type"] = n.Data.Type };
        if (n.Data.ContestantId is { } c) data["contestant_id"] = c.ToString(CultureInfo.InvariantCulture);
        if (n.Data.EpisodeId is { } e) data["episode_id"] = e.ToString(CultureInfo.InvariantCulture);
        if (n.Data.VoteCount is { } v) data["vote_count"] = v.ToString(CultureInfo.InvariantCulture);
        if (n.Data.PurchaseId is { } p) data["purchase_id"] = p.ToString(CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["token"] = n.Token,
                ["notification"] = new JsonObject { ["title"] = n.Title, ["body"] = n.Body },
                ["data"] = data,
            },
        };
    }

    internal static ByteArrayContent JsonContent(JsonNode body)
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>The <c>errorCode</c> of FCM's error details (e.g. UNREGISTERED), or null.</summary>
    private static string? ErrorCode(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (!doc.RootElement.TryGetProperty("error", out var error) || !error.TryGetProperty("details", out var details)
                || details.ValueKind != JsonValueKind.Array)
                return null;
            foreach (var d in details.EnumerateArray())
            {
                if (d.ValueKind == JsonValueKind.Object && d.TryGetProperty("errorCode", out var code) && code.ValueKind == JsonValueKind.String)
                    return code.GetString();
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void Dispose() => _tokens?.Dispose();
}
