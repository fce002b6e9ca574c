using Voting.Storage;

namespace Voting.Server.Outbox;

/// <summary>
/// Delivers the rows of one outbox kind: the kind is its payload type's (<see cref="IOutboxPayload.Kind"/>).
/// The handler says what the receiver's answer means (delivered, try again, give up); the
/// dispatcher owns leases, retries, backoff and dead letters.
/// </summary>
public interface IOutboxHandler<in TPayload> where TPayload : IOutboxPayload
{
    /// <summary>Sends one row. Every request should carry <see cref="OutboxItem.IdempotencyKey"/>: a row may be sent again after a crash.</summary>
    Task<DeliveryResult> HandleAsync(TPayload payload, OutboxItem item, CancellationToken ct);

    /// <summary>For operators' lists: where a row goes (a carrier, a push service).</summary>
    string Destination(TPayload payload, string recipient);
}

public enum DeliveryStatus
{
    /// <summary>The receiver took it (or answered for good): never sent again.</summary>
    Delivered,
    /// <summary>A passing failure (unreachable, 5xx, 429, timeout): sent again after a backoff, until the attempts run out.</summary>
    Retry,
    /// <summary>Sending it again will not help: a dead letter at once.</summary>
    Dead,
}

/// <summary>What one attempt came to, and what else to record with it.</summary>
public sealed record DeliveryResult(DeliveryStatus Status, string? Error = null, CompletionEffect? Effect = null)
{
    public static readonly DeliveryResult Delivered = new(DeliveryStatus.Delivered);

    public static DeliveryResult Retry(string error) => new(DeliveryStatus.Retry, error);

    public static DeliveryResult Dead(string error) => new(DeliveryStatus.Dead, error);
}

/// <summary>A change the store records in the same transaction as the row's completion (e.g. a carrier's answer to a charge).</summary>
public abstract record CompletionEffect
{
    public abstract OutboxCompletion ApplyTo(OutboxCompletion completion);
}
