using System.Buffers.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Voting.Domain.Purchases;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Purchases;

public sealed record NotificationDto(string Outcome, long? PurchaseId);

/// <summary>
/// Refunds from the stores: App Store Server Notifications V2 (<c>POST /webhooks/appstore</c>) and Google
/// Play's Real-time developer notifications by Pub/Sub push (<c>POST /webhooks/googleplay</c>). A
/// notification that fails verification is 401 and changes nothing; a verified one is applied through
/// the ledger once (per notification id) in one short transaction, and answered 200.
/// </summary>
public static class StoreNotificationApi
{
    private const int MaxBody = 256 * 1024;

    public static IEndpointRouteBuilder MapStoreNotificationApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/appstore", AppStoreAsync).AllowAnonymous()
            .Produces<Envelope<NotificationDto>>()
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest)
            .Produces<ErrorEnvelope>(StatusCodes.Status401Unauthorized);
        app.MapPost("/webhooks/googleplay", GooglePlayAsync).AllowAnonymous()
            .Produces<Envelope<NotificationDto>>()
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest)
            .Produces<ErrorEnvelope>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorEnvelope>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static IResult InvalidSignature(string message) => Api.Error(StatusCodes.Status401Unauthorized, "INVALID_SIGNATURE", message);

    private static async Task<IResult> AppStoreAsync(HttpContext http, AppleReceipts apple, IPurchaseStore store,
        ILogger<AppleReceipts> logger, CancellationToken ct)
    {
        if (await ReadJsonAsync(http.Request, ct) is not { } doc) return Api.BadRequest("Request body must be a JSON object with 'signedPayload'");
        using (doc)
        {
            // The signed payload is the credential: without one the notification is unauthenticated.
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("signedPayload", out var signed)
                || signed.ValueKind != JsonValueKind.String)
                return InvalidSignature("A notification needs its signedPayload");
            if (apple.Verifier is null)
            {
                PurchaseLog.NoticeRefused(logger, "appstore", "Purchases:Apple:BundleId is not configured");
                return InvalidSignature("App Store notifications are not configured on this server");
            }
            // A payload that is not text (invalid UTF-8, half a surrogate pair, a NUL) cannot be a signed notification.
            var v = StorableText.Of(signed) is { } payload ? apple.Verifier.VerifyNotification(payload) : null;
            if (v is null)
            {
                PurchaseLog.NoticeRefused(logger, "appstore", "the signedPayload is not text");
                return InvalidSignature("The notification failed verification");
            }
            if (!v.Ok)
            {
                PurchaseLog.NoticeRefused(logger, "appstore", v.Detail);
                return InvalidSignature("The notification failed verification");
            }
            var n = v.Value!;
            var action = n.NotificationType switch
            {
                "REFUND" => StoreAction.Revoke,
                "REFUND_REVERSED" => StoreAction.Restore,
                _ => StoreAction.None,
            };
            var notice = new StoreNotice("appstore", n.NotificationUuid, n.NotificationType, action, PurchasePlatforms.Ios, n.Transaction?.TransactionId, null);
            return await ApplyAsync(notice, store, logger, ct);
        }
    }

    private static async Task<IResult> GooglePlayAsync(HttpContext http, GooglePushAuth auth, IOptions<PurchaseOptions> options, IPurchaseStore store,
        ILogger<GooglePushAuth> logger, CancellationToken ct)
    {
        switch (await auth.VerifyAsync(http.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, ct))
        {
            case PushAuthResult.Invalid:
                PurchaseLog.NoticeRefused(logger, "googleplay", "the Pub/Sub OIDC token was missing or invalid");
                return Api.Unauthorized("A valid Google OIDC token is required");
            case PushAuthResult.Unavailable:
                return Api.Error(StatusCodes.Status503ServiceUnavailable, "VERIFIER_UNAVAILABLE", "Google's keys could not be fetched; Pub/Sub will retry");
        }
        if (await ReadJsonAsync(http.Request, ct) is not { } doc) return Api.BadRequest("Request body must be a Pub/Sub push message");
        using (doc)
        {
            if (!TryMessage(doc.RootElement, out var messageId, out var data)) return Api.BadRequest("Request body must be a Pub/Sub push message with message.data and message.messageId");
            var rtdn = ReadDeveloperNotification(data);
            if (rtdn is null) return Api.BadRequest("message.data is not a developer notification");
            var (packageName, type, token, orderId) = rtdn.Value;
            // Another app's notification (a shared topic) changes nothing here; answered so Pub/Sub stops.
            if (packageName != options.Value.Google.PackageName || type != "voidedPurchaseNotification" || token is null)
            {
                var ignored = new StoreNotice("googleplay", messageId, type, StoreAction.None, PurchasePlatforms.Android, orderId, token);
                return await ApplyAsync(ignored, store, logger, ct);
            }
            var notice = new StoreNotice("googleplay", messageId, type, StoreAction.Revoke, PurchasePlatforms.Android, orderId, token);
            return await ApplyAsync(notice, store, logger, ct);
        }
    }

    private static async Task<IResult> ApplyAsync(StoreNotice notice, IPurchaseStore store, ILogger logger, CancellationToken ct)
    {
        var result = await store.ApplyStoreNoticeAsync(notice, ct);
        var outcome = result.Outcome.ToString().ToLowerInvariant();
        PurchaseLog.Notice(logger, notice.Source, notice.NotificationId, notice.NotificationType, outcome, result.PurchaseId);
        return Api.Ok(new NotificationDto(outcome, result.PurchaseId));
    }

    private static async Task<JsonDocument?> ReadJsonAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBody) return null;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct);
            if (buffer.Length > MaxBody) return null;
            return JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool TryMessage(JsonElement root, out string messageId, out byte[] data)
    {
        messageId = "";
        data = [];
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("message", out var m) || m.ValueKind != JsonValueKind.Object) return false;
        var id = m.TryGetProperty("messageId", out var i) ? i : m.TryGetProperty("message_id", out var j) ? j : default;
        // The message id is stored: text a store can hold, or the push is malformed.
        if (StorableText.Of(id) is not { Length: > 0 and <= 200 } text) return false;
        if (!m.TryGetProperty("data", out var d) || StorableText.Of(d) is not { } encoded) return false;
        messageId = text;
        try
        {
            data = Convert.FromBase64String(encoded);
            return true;
        }
        catch (FormatException)
        {
            try
            {
                data = Base64Url.DecodeFromChars(encoded);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// The package name, notification type, purchase token and order id of a DeveloperNotification; null when
    /// it is not one, or when one of those strings is not text a store can hold (they are stored and looked up).
    /// </summary>
    private static (string PackageName, string Type, string? Token, string? OrderId)? ReadDeveloperNotification(byte[] data)
    {
        try
        {
            using var doc = JsonDocument.Parse(data);
            var r = doc.RootElement;
            if (r.ValueKind != JsonValueKind.Object || !r.TryGetProperty("packageName", out var p) || StorableText.Of(p) is not { } packageName) return null;
            foreach (var type in (string[])["voidedPurchaseNotification", "oneTimeProductNotification", "subscriptionNotification", "testNotification"])
            {
                if (!r.TryGetProperty(type, out var body) || body.ValueKind != JsonValueKind.Object) continue;
                if (!TryText(body, "purchaseToken", out var token) || !TryText(body, "orderId", out var orderId)) return null;
                return (packageName, type, token, orderId);
            }
            return (packageName, "unknown", null, null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A string field's text (null when absent or not a string); false when it is a string no store can hold.</summary>
    private static bool TryText(JsonElement body, string name, out string? text)
    {
        text = null;
        if (!body.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String) return true;
        text = StorableText.Of(value);
        return text is not null;
    }
}
