using Voting.Server.Infrastructure;
using Voting.Server.Outbox;
using Voting.Storage;

namespace Voting.Server.Push;

/// <summary>
/// Push notifications in the outbox: each row is one notification to one device, sent through the
/// push service of its platform. A token the service calls gone is forgotten (the row is done); a
/// platform with no configured service is a dead letter that says which keys to set.
/// </summary>
public sealed class PushHandler(IEnumerable<IPushSender> senders, IPushStore store, ILogger<PushHandler> logger) : IOutboxHandler<PushPayload>
{
    private readonly Dictionary<string, IPushSender> _senders = senders.ToDictionary(s => s.Platform, StringComparer.Ordinal);

    public async Task<DeliveryResult> HandleAsync(PushPayload payload, OutboxItem item, CancellationToken ct)
    {
        if (!_senders.TryGetValue(payload.Platform, out var sender)) return DeliveryResult.Dead($"unknown push platform '{payload.Platform}'");
        if (!sender.IsConfigured) return DeliveryResult.Dead($"{payload.Platform} push is not configured: set {sender.ConfigurationKeys}");
        var result = await sender.SendAsync(payload, ct);
        switch (result.Outcome)
        {
            case PushOutcome.Sent:
                return DeliveryResult.Delivered;
            case PushOutcome.TokenGone:
                var forgotten = await store.ForgetPushTokenAsync(payload.Token, ct);
                Log.PushTokenGone(logger, item.Id, payload.Platform, item.Recipient, forgotten);
                return new DeliveryResult(DeliveryStatus.Delivered, result.Error);
            case PushOutcome.Retry:
                return DeliveryResult.Retry(result.Error ?? "failed");
            default:
                return DeliveryResult.Dead(result.Error ?? "refused");
        }
    }

    public string Destination(PushPayload payload, string recipient) => payload.Platform;
}
