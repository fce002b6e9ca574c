using Microsoft.Extensions.Options;
using Voting.Domain.Phones;
using Voting.Server.Outbox;
using Voting.Storage;

namespace Voting.Server.Sms;

/// <summary>
/// Texts (sign-in codes and replies) through the carrier's API. Replies name the carrier that
/// delivered the text; sign-in codes go to the carrier of the phone's prefix.
/// </summary>
public sealed class CarrierTextHandler(CarrierSenders senders, IOptions<SmsOptions> options) : IOutboxHandler<SmsPayload>
{
    public async Task<DeliveryResult> HandleAsync(SmsPayload payload, OutboxItem item, CancellationToken ct)
    {
        if (senders.For(CarrierOf(payload.Carrier, item.Recipient), charge: false) is not { } sender)
            return DeliveryResult.Dead($"no carrier serves {item.Recipient}");
        var sms = new OutgoingSms(item.Recipient, payload.From ?? options.Value.ShortCode, payload.Message, item.IdempotencyKey);
        return CarrierAnswers.Of(await sender.SendSmsAsync(sms, ct));
    }

    public string Destination(SmsPayload payload, string recipient) => CarrierOf(payload.Carrier, recipient).ToWire();

    internal static Carrier CarrierOf(string? named, string phone) => named is null ? PhoneNumber.CarrierOf(phone) : CarrierNames.FromWire(named);
}

/// <summary>Bills a counted SMS vote through the carrier that delivered it; the carrier's yes or no settles the vote's charge.</summary>
public sealed class CarrierChargeHandler(CarrierSenders senders) : IOutboxHandler<ChargePayload>
{
    public async Task<DeliveryResult> HandleAsync(ChargePayload payload, OutboxItem item, CancellationToken ct)
    {
        if (senders.For(CarrierNames.FromWire(payload.Carrier), charge: true) is not { } sender)
            return DeliveryResult.Dead($"no carrier serves {item.Recipient}");
        var charge = new OutgoingCharge(item.Recipient, payload.AmountCents / 100m, payload.Currency, payload.Description, item.IdempotencyKey);
        var result = await sender.ChargeAsync(charge, ct);
        return result.Status switch
        {
            SendStatus.Accepted => DeliveryResult.Delivered with { Effect = new ChargeAnswer(payload.VoteId, ChargeStatus.Confirmed) },
            // A declined charge is an answer: the request was delivered and the vote's charge failed.
            SendStatus.Declined => new DeliveryResult(DeliveryStatus.Delivered, result.Error, new ChargeAnswer(payload.VoteId, ChargeStatus.Failed)),
            // Billing fails closed: an answer we cannot read is not a yes. Asked again, then a dead letter for an operator.
            SendStatus.Unknown => new DeliveryResult(DeliveryStatus.Retry, result.Error, new ChargeAnswer(payload.VoteId, ChargeStatus.Unknown)),
            _ => CarrierAnswers.Of(result),
        };
    }

    public string Destination(ChargePayload payload, string recipient) => CarrierNames.FromWire(payload.Carrier).ToWire();
}

/// <summary>
/// Gives back the charge of an SMS vote voided with a refund, through the carrier that billed it. A
/// carrier that declines is a dead letter: the refund is owed, and an operator must see it.
/// </summary>
public sealed class CarrierRefundHandler(CarrierSenders senders) : IOutboxHandler<RefundPayload>
{
    public async Task<DeliveryResult> HandleAsync(RefundPayload payload, OutboxItem item, CancellationToken ct)
    {
        if (senders.RefundsOf(CarrierNames.FromWire(payload.Carrier)) is not { } sender)
            return DeliveryResult.Dead($"no carrier serves {item.Recipient}");
        var refund = new OutgoingRefund(item.Recipient, payload.AmountCents / 100m, payload.Currency, payload.ChargeKey, item.IdempotencyKey);
        var result = await sender.RefundAsync(refund, ct);
        return result.Status == SendStatus.Declined ? DeliveryResult.Dead(result.Error ?? "the carrier declined the refund") : CarrierAnswers.Of(result);
    }

    public string Destination(RefundPayload payload, string recipient) => CarrierNames.FromWire(payload.Carrier).ToWire();
}

/// <summary>The carrier's answer to a charge, recorded on the vote's pending charge with the row's completion.</summary>
public sealed record ChargeAnswer(long VoteId, ChargeStatus Status) : CompletionEffect
{
    public override OutboxCompletion ApplyTo(OutboxCompletion completion) => completion with { ChargeVoteId = VoteId, Charge = Status };
}

internal static class CarrierAnswers
{
    /// <summary>Taken: delivered; unreachable, 5xx, 408, 429, timeout, an unreadable verdict: again later; refused (other 4xx) or declined: dead.</summary>
    public static DeliveryResult Of(SendResult result) => result.Status switch
    {
        SendStatus.Accepted => DeliveryResult.Delivered,
        SendStatus.Failed or SendStatus.Unknown => DeliveryResult.Retry(result.Error ?? "failed"),
        _ => DeliveryResult.Dead(result.Error ?? "refused"),
    };
}
