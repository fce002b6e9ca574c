using Microsoft.Extensions.Options;
using Voting.Domain.Purchases;
using Voting.Storage;

namespace Voting.Server.Purchases;

/// <summary>
/// A backstop for refund pushes that never arrived: every <c>Purchases:Google:VoidedPollSeconds</c> the
/// voided-purchases list of the last <c>VoidedLookbackHours</c> is read and each entry applied like a
/// push (a purchase already refunded is left as it is; each entry is recorded once). Several nodes may
/// poll: every application is idempotent.
/// </summary>
public sealed class VoidedPurchasePoller(GooglePlayClient google, IPurchaseStore store, IOptions<PurchaseOptions> options, TimeProvider time,
    ILogger<VoidedPurchasePoller> logger) : BackgroundService
{
    private const int MaxPages = 50;
    private readonly GooglePlayOptions _o = options.Value.Google;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!google.IsConfigured || _o.VoidedPollSeconds == 0) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_o.VoidedPollSeconds), time);
        do
        {
            try
            {
                await PollOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                PurchaseLog.VoidedPollFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Reads every page of the window and applies each voided purchase; answers how many debited.</summary>
    public async Task<int> PollOnceAsync(CancellationToken ct)
    {
        var since = time.GetUtcNow() - TimeSpan.FromHours(_o.VoidedLookbackHours);
        string? page = null;
        var debited = 0;
        for (var n = 0; n < MaxPages; n++)
        {
            var (voided, error) = await google.ListVoidedAsync(since, page, ct);
            if (voided is null)
            {
                PurchaseLog.VoidedPollFailed(logger, error ?? "no answer");
                return debited;
            }
            foreach (var v in voided.Items)
            {
                var notice = new StoreNotice("googleplay", "voided:" + GooglePurchaseRules.TokenDigest(v.PurchaseToken), "voidedPurchase",
                    StoreAction.Revoke, PurchasePlatforms.Android, v.OrderId, v.PurchaseToken);
                var result = await store.ApplyStoreNoticeAsync(notice, ct);
                if (result.Outcome == NoticeOutcome.Debited)
                {
                    debited++;
                    PurchaseLog.Notice(logger, "googleplay", notice.NotificationId, notice.NotificationType, "debited", result.PurchaseId);
                }
            }
            if ((page = voided.NextPageToken) is null) break;
        }
        return debited;
    }
}
