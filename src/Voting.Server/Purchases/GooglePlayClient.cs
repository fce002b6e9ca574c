using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Apis.Auth.OAuth2.Responses;
using Microsoft.Extensions.Options;
using Voting.Domain.Purchases;
using Voting.Server.Infrastructure;

namespace Voting.Server.Purchases;

public enum GoogleFetchStatus
{
    Ok,
    /// <summary>Google does not know the token for this product (400, 404, 410).</summary>
    Unknown,
    /// <summary>Google could not be asked or its answer not read (unreachable, timeout, 5xx, 429, our credentials refused): nothing may be granted.</summary>
    Unavailable,
}

public sealed record VoidedPurchase(string PurchaseToken, string? OrderId, long? VoidedAtMs);

public sealed record VoidedPage(IReadOnlyList<VoidedPurchase> Items, string? NextPageToken);

public sealed record GoogleFetch(GoogleFetchStatus Status, GoogleProductPurchase? Purchase, string Detail);

/// <summary>
/// The Android Publisher API's one-time products (<c>purchases.products.get</c> and <c>:consume</c>) with a
/// service account's token. Every call is asynchronous I/O with a deadline (Purchases:Google:TimeoutSeconds):
/// a verification never holds a thread-pool thread while Google answers.
/// </summary>
public sealed class GooglePlayClient(IHttpClientFactory http, IOptions<PurchaseOptions> options) : IDisposable
{
    public const string HttpClientName = "googleplay";
    private const string Scope = "https://www.googleapis.com/auth/androidpublisher";
    private readonly GooglePlayOptions _o = options.Value.Google;
    private readonly ServiceAccountTokens? _tokens = options.Value.Google.IsConfigured ? new(options.Value.Google.ServiceAccountKeyFile!, Scope) : null;

    public bool IsConfigured => _o.IsConfigured;
    public string? PackageName => _o.PackageName;

    public async Task<GoogleFetch> GetProductPurchaseAsync(string productId, string purchaseToken, CancellationToken ct)
    {
        var (status, body, error) = await CallAsync(HttpMethod.Get, PurchaseUrl(productId, purchaseToken, ""), ct);
        if (error is not null) return new GoogleFetch(GoogleFetchStatus.Unavailable, null, error);
        if (status is 400 or 404 or 410) return new GoogleFetch(GoogleFetchStatus.Unknown, null, $"Google does not know this purchase token (HTTP {status})");
        if (status is < 200 or > 299) return new GoogleFetch(GoogleFetchStatus.Unavailable, null, $"HTTP {status} from Google Play");
        return Parse(body) is { } purchase
            ? new GoogleFetch(GoogleFetchStatus.Ok, purchase, "")
            : new GoogleFetch(GoogleFetchStatus.Unavailable, null, "Google Play's answer could not be read");
    }

    /// <summary>Consumes a credited purchase; the HTTP status (0 when Google could not be reached) and an error when it failed.</summary>
    public async Task<(int Status, string? Error)> ConsumeAsync(string packageName, string productId, string purchaseToken, CancellationToken ct)
    {
        var (status, body, error) = await CallAsync(HttpMethod.Post, PurchaseUrl(productId, purchaseToken, ":consume", packageName), ct);
        if (error is not null) return (0, error);
        return status is >= 200 and <= 299 ? (status, null) : (status, $"HTTP {status} from Google Play: {Shorten(body)}");
    }

    /// <summary>One page of the voided purchases since <paramref name="since"/>; null and an error when Google could not be read.</summary>
    public async Task<(VoidedPage? Page, string? Error)> ListVoidedAsync(DateTimeOffset since, string? pageToken, CancellationToken ct)
    {
        var url = $"{_o.ApiBaseUrl.TrimEnd('/')}/androidpublisher/v3/applications/{Uri.EscapeDataString(_o.PackageName!)}/purchases/voidedpurchases" +
            $"?startTime={since.ToUnixTimeMilliseconds()}&maxResults=1000" + (pageToken is null ? "" : $"&token={Uri.EscapeDataString(pageToken)}");
        var (status, body, error) = await CallAsync(HttpMethod.Get, new Uri(url, UriKind.Absolute), ct);
        if (error is not null) return (null, error);
        if (status is < 200 or > 299) return (null, $"HTTP {status} from Google Play: {Shorten(body)}");
        try
        {
            using var doc = JsonDocument.Parse(body);
            var r = doc.RootElement;
            var items = new List<VoidedPurchase>();
            if (r.TryGetProperty("voidedPurchases", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var v in list.EnumerateArray())
                {
                    if (Text(v, "purchaseToken") is { } token) items.Add(new VoidedPurchase(token, Text(v, "orderId"), Long(v, "voidedTimeMillis")));
                }
            }
            var next = r.TryGetProperty("tokenPagination", out var pages) && pages.ValueKind == JsonValueKind.Object ? Text(pages, "nextPageToken") : null;
            return (new VoidedPage(items, next), null);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            return (null, "Google Play's voided purchases could not be read");
        }
    }

    private Uri PurchaseUrl(string productId, string token, string verb, string? packageName = null) => new(
        $"{_o.ApiBaseUrl.TrimEnd('/')}/androidpublisher/v3/applications/{Uri.EscapeDataString(packageName ?? _o.PackageName!)}/purchases/products/" +
        $"{Uri.EscapeDataString(productId)}/tokens/{Uri.EscapeDataString(token)}{verb}", UriKind.Absolute);

    /// <summary>One call with a deadline; error is set when there is no HTTP answer to judge.</summary>
    private async Task<(int Status, string Body, string? Error)> CallAsync(HttpMethod method, Uri url, CancellationToken ct)
    {
        if (_tokens is null) return (0, "", "Google Play is not configured: set Purchases:Google:PackageName and Purchases:Google:ServiceAccountKeyFile");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(_o.TimeoutSeconds));
        try
        {
            var token = await _tokens.GetAccessTokenAsync(deadline.Token);
            using var request = new HttpRequestMessage(method, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, deadline.Token);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(deadline.Token), null);
        }
        catch (TokenResponseException e)
        {
            return (0, "", $"Google's token endpoint refused the service account (HTTP {(int?)e.StatusCode}): {e.Error?.Error}");
        }
        catch (HttpRequestException e)
        {
            return (0, "", $"Google Play unreachable: {e.HttpRequestError}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (0, "", "Google Play did not answer in time");
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or JsonException or ArgumentException)
        {
            return (0, "", $"Purchases:Google:ServiceAccountKeyFile is not a usable service-account key: {e.Message}");
        }
    }

    /// <summary>A ProductPurchase (numbers Google sends as strings read as numbers); null when it is not one.</summary>
    internal static GoogleProductPurchase? Parse(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object) return null;
            return new GoogleProductPurchase(Int(r, "purchaseState"), Int(r, "consumptionState"), Int(r, "purchaseType"), Text(r, "orderId"),
                Text(r, "obfuscatedExternalAccountId"), Int(r, "quantity"), Long(r, "purchaseTimeMillis"), Text(r, "productId"));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(JsonElement o, string name) => !o.TryGetProperty(name, out var v) ? null : v.ValueKind switch
    {
        JsonValueKind.Number => v.GetInt64(),
        JsonValueKind.String => long.Parse(v.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture),
        JsonValueKind.Null => null,
        _ => throw new FormatException(name),
    };

    private static int? Int(JsonElement o, string name) => Long(o, name) is { } n ? checked((int)n) : null;

    private static string Shorten(string body) => body.Length <= 200 ? body : body[..200] + "…";

    public void Dispose() => _tokens?.Dispose();
}
