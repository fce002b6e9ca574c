using Voting.Server.Outbox;
using Voting.Storage;

namespace Voting.Server.Purchases;

/// <summary>
/// Consumes a Google Play purchase once its votes are credited, so the voter can buy the package
/// again. Google keeps an unconsumed purchase for three days and then refunds it: a consume that
/// cannot be sent is retried, and a dead letter shows the operator which purchase to look at.
/// </summary>
public sealed class PlayConsumeHandler(GooglePlayClient google) : IOutboxHandler<PlayConsumePayload>
{
    public async Task<DeliveryResult> HandleAsync(PlayConsumePayload payload, OutboxItem item, CancellationToken ct)
    {
        var (status, error) = await google.ConsumeAsync(payload.PackageName, payload.ProductId, payload.PurchaseToken, ct);
        return status switch
        {
            >= 200 and <= 299 => DeliveryResult.Delivered,
            // Unreachable, our credentials refused (fixable), throttled or Google's trouble: later.
            0 or 401 or 403 or 408 or 429 or >= 500 => DeliveryResult.Retry(error ?? "failed"),
            // The purchase is gone or already consumed: sending it again cannot help.
            _ => DeliveryResult.Dead(error ?? "refused"),
        };
    }

    public string Destination(PlayConsumePayload payload, string recipient) => "googleplay";
}
