using Microsoft.Extensions.Options;
using Voting.Domain.Push;
using Voting.Server.Infrastructure;
using Voting.Server.Outbox;
using Voting.Storage;

namespace Voting.Server.Push;

/// <summary>
/// Turns voters' pending votes into notifications once <see cref="PushOptions.CoalesceSeconds"/> have
/// passed since the first of them: the store deletes the pending rows and writes one outbox row per
/// device in one transaction, so each is sent once however many nodes run this.
/// </summary>
public sealed class PushCoalescer(IPushStore store, OutboxSignal signal, IOptions<PushOptions> options, TimeProvider time,
    ILogger<PushCoalescer> logger) : BackgroundService
{
    private readonly PushOptions _o = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_o.Scan, time);
        try
        {
            do
            {
                try
                {
                    await FlushAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.PushCoalesceFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        PushFlush flush;
        do
        {
            var cutoff = PendingVotes.DueCutoff(time.GetUtcNow().ToUnixTimeMilliseconds(), _o.Coalesce);
            flush = await store.FlushPushPendingAsync(DateTimeOffset.FromUnixTimeMilliseconds(cutoff), _o.BatchSize, ct);
            if (flush.Notifications > 0) signal.Nudge();
        }
        while (flush.Voters == _o.BatchSize);
    }
}
