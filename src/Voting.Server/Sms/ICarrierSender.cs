using Voting.Domain.Phones;

namespace Voting.Server.Sms;

/// <summary>A text to send through a carrier.</summary>
public sealed record OutgoingSms(string To, string From, string Message, string IdempotencyKey);

/// <summary>A vote to bill through a carrier.</summary>
public sealed record OutgoingCharge(string To, decimal Amount, string Currency, string Description, string IdempotencyKey);

/// <summary>The charge of a voided vote to give back; <paramref name="ChargeKey"/> is the idempotency key the charge was requested with.</summary>
public sealed record OutgoingRefund(string To, decimal Amount, string Currency, string ChargeKey, string IdempotencyKey);

public enum SendStatus
{
    /// <summary>The carrier took the request (a charge: and confirmed it).</summary>
    Accepted,
    /// <summary>The carrier answered no: a charge it will not bill, a text it will not send. Final.</summary>
    Declined,
    /// <summary>The request itself was refused (a 4xx): sending it again will not help. Dead letter.</summary>
    Rejected,
    /// <summary>The carrier could not be reached or failed (5xx, timeout): try again later.</summary>
    Failed,
    /// <summary>
    /// A 2xx whose verdict could not be read: the carrier may or may not have acted. Never taken as a
    /// yes (billing fails closed); asked again with the same idempotency key, then a dead letter.
    /// </summary>
    Unknown,
}

public sealed record SendResult(SendStatus Status, string? Error = null)
{
    public static readonly SendResult Accepted = new(SendStatus.Accepted);
}

/// <summary>
/// A carrier's outbound API. Every request carries the outbox row's idempotency key, so a carrier
/// that receives a request twice (after a timeout, or a crash between sending and recording) can
/// tell and act once.
/// </summary>
public interface ICarrierSender
{
    Carrier Carrier { get; }

    Task<SendResult> SendSmsAsync(OutgoingSms sms, CancellationToken ct);

    Task<SendResult> ChargeAsync(OutgoingCharge charge, CancellationToken ct);

    Task<SendResult> RefundAsync(OutgoingRefund refund, CancellationToken ct);
}
