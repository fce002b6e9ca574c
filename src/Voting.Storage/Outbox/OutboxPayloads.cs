using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Voting.Storage;

/// <summary>
/// The typed payload of one outbox kind: an outbox row of <see cref="Kind"/> holds one of these as
/// snake_case JSON. Storage writes them in the transactions that cause them; the server's handler
/// of the kind reads them back.
/// </summary>
public interface IOutboxPayload
{
    /// <summary>The outbox kind whose rows hold this payload.</summary>
    static abstract string Kind { get; }
}

/// <summary>A text to a phone: a sign-in code or a reply to a text.</summary>
/// <param name="Carrier">The carrier that delivered the text replied to; null: the carrier of the phone's prefix.</param>
/// <param name="From">The short code the reply comes from; null: the configured one.</param>
public sealed record SmsPayload(string Message, string? Carrier = null, string? From = null) : IOutboxPayload
{
    public static string Kind => OutboxKinds.Sms;
}

/// <summary>A request to a carrier to bill a counted SMS vote.</summary>
public sealed record ChargePayload(string Carrier, long VoteId, long AmountCents, string Currency, string Description) : IOutboxPayload
{
    public static string Kind => OutboxKinds.Charge;
}

/// <summary>A request to a carrier to refund the charge of a vote voided with a refund.</summary>
/// <param name="ChargeKey">The idempotency key the charge was requested with, so the carrier can find it.</param>
public sealed record RefundPayload(string Carrier, long VoteId, long AmountCents, string Currency, string ChargeKey) : IOutboxPayload
{
    public static string Kind => OutboxKinds.Refund;
}

/// <summary>A push notification to one device.</summary>
/// <param name="Platform"><c>fcm</c> or <c>apns</c> (see <see cref="Voting.Domain.Push.PushPlatforms"/>).</param>
public sealed record PushPayload(string Platform, string Token, string Title, string Body, PushData Data) : IOutboxPayload
{
    public static string Kind => OutboxKinds.Push;
}

/// <summary>Google Play's <c>:consume</c> of a purchase whose votes were credited, so the voter can buy the package again.</summary>
/// <param name="PackageName">The Android app's package name.</param>
public sealed record PlayConsumePayload(string PackageName, string ProductId, string PurchaseToken) : IOutboxPayload
{
    public static string Kind => OutboxKinds.PlayConsume;
}

/// <summary>The app's data of a notification (<c>type</c> says which fields it has).</summary>
public sealed record PushData(string Type, long? ContestantId = null, long? EpisodeId = null, long? VoteCount = null, long? PurchaseId = null);

/// <summary>The JSON of outbox payloads: snake_case, and strict on reading, so a payload that lacks what its kind needs is refused.</summary>
public static class OutboxJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static string Write<TPayload>(TPayload payload) where TPayload : IOutboxPayload =>
        JsonSerializer.Serialize(payload, Options);

    /// <summary>Reads a row's payload; false when it is not a readable <typeparamref name="TPayload"/>.</summary>
    public static bool TryRead<TPayload>(string json, [NotNullWhen(true)] out TPayload? payload) where TPayload : IOutboxPayload
    {
        try
        {
            payload = JsonSerializer.Deserialize<TPayload>(json, Options);
            return payload is not null;
        }
        catch (JsonException)
        {
            payload = default;
            return false;
        }
    }
}
