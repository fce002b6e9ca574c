using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Voting.Domain.Phones;

namespace Voting.Server.Sms;

/// <summary>
/// The common HTTP part of the carriers' APIs: texts posted to <c>OutboundUrl</c> as
/// <c>{ "to", "from", "message", "idempotency_key" }</c>, charges to <c>ChargeUrl</c> as
/// <c>{ "to", "amount", "currency", "description", "idempotency_key" }</c>, refunds to <c>RefundUrl</c> as
/// <c>{ "to", "amount", "currency", "charge_idempotency_key", "idempotency_key" }</c>, the key also in an
/// <c>Idempotency-Key</c> header. Each carrier adds its credentials and reads its own verdict.
/// </summary>
public abstract class HttpCarrierSender(Carrier carrier, IHttpClientFactory http, Uri? outboundUrl, Uri? chargeUrl, Uri? refundUrl) : ICarrierSender
{
    public const string HttpClientName = "carriers";

    public Carrier Carrier => carrier;

    public Task<SendResult> SendSmsAsync(OutgoingSms sms, CancellationToken ct) =>
        PostAsync(outboundUrl, "OutboundUrl", new JsonObject
        {
            ["to"] = sms.To,
            ["from"] = sms.From,
            ["message"] = sms.Message,
            ["idempotency_key"] = sms.IdempotencyKey,
        }, sms.IdempotencyKey, ct);

    public Task<SendResult> ChargeAsync(OutgoingCharge charge, CancellationToken ct) =>
        PostAsync(chargeUrl, "ChargeUrl", new JsonObject
        {
            ["to"] = charge.To,
            ["amount"] = charge.Amount,
            ["currency"] = charge.Currency,
            ["description"] = charge.Description,
            ["idempotency_key"] = charge.IdempotencyKey,
        }, charge.IdempotencyKey, ct);

    public Task<SendResult> RefundAsync(OutgoingRefund refund, CancellationToken ct) =>
        PostAsync(refundUrl, "RefundUrl", new JsonObject
        {
            ["to"] = refund.To,
            ["amount"] = refund.Amount,
            ["currency"] = refund.Currency,
            ["charge_idempotency_key"] = refund.ChargeKey,
            ["idempotency_key"] = refund.IdempotencyKey,
        }, refund.IdempotencyKey, ct);

    /// <summary>Adds the carrier's credentials to the body (before it is serialized).</summary>
    protected virtual void AddToBody(JsonObject body)
    {
    }

    /// <summary>Adds the carrier's credentials to the request, whose content is final.</summary>
    protected virtual void AddToRequest(HttpRequestMessage request, byte[] body)
    {
    }

    /// <summary>A 2xx answer's verdict: yes, no, or null when it cannot be read.</summary>
    protected abstract bool? Agreed(string contentType, string body);

    private async Task<SendResult> PostAsync(Uri? url, string key, JsonObject body, string idempotencyKey, CancellationToken ct)
    {
        // Not configured: the row waits and is retried, so a fix and a restart deliver it.
        if (url is null) return new SendResult(SendStatus.Failed, $"Sms:{carrier}:{key} is not configured");
        AddToBody(body);
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        AddToRequest(request, bytes);
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return Agreed(response.Content.Headers.ContentType?.MediaType ?? "", text) switch
                {
                    true => SendResult.Accepted,
                    false => new SendResult(SendStatus.Declined, $"{carrier} declined: {Shorten(text)}"),
                    null => new SendResult(SendStatus.Unknown, $"HTTP {status} from {carrier} without a verdict we can read: {Shorten(text)}"),
                };
            }
            var error = $"HTTP {status} from {carrier}: {Shorten(text)}";
            return status is 408 or 425 or 429 || status >= 500 ? new SendResult(SendStatus.Failed, error) : new SendResult(SendStatus.Rejected, error);
        }
        catch (HttpRequestException e)
        {
            return new SendResult(SendStatus.Failed, $"{carrier} unreachable: {e.HttpRequestError}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new SendResult(SendStatus.Failed, $"{carrier} did not answer in time");
        }
    }

    /// <summary>The value of a top-level JSON property of an answer, or null.</summary>
    protected static JsonElement? JsonField(string body, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var v) ? v.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200];

    protected static Uri? UrlOf(string? text) => string.IsNullOrEmpty(text) ? null : new Uri(text, UriKind.Absolute);
}
