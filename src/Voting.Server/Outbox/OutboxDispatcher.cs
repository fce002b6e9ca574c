using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Voting.Domain.Outbox;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Outbox;

/// <summary>
/// Delivers the outbox, whatever the kinds: each registered kind's handler sends its rows. Rows are
/// leased, so two dispatchers (on any nodes) never send one row at once; a failure the handler
/// calls passing is retried with exponential backoff and jitter; after the last attempt, or at
/// once when the handler says so, the row is a dead letter for an operator to retry. Delivery is
/// at least once: a crash between an answer and its recording sends the row again after its
/// lease, with the same idempotency key.
/// </summary>
public sealed class OutboxDispatcher(IOutboxStore store, OutboxRegistry registry, OutboxSignal signal, IOptions<OutboxOptions> options,
    TimeProvider time, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly OutboxOptions _o = options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, _o.Workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), CancellationToken.None)));

    /// <summary>One dispatch loop: lease a batch, send it, record the answers; wait for a nudge when none is due.</summary>
    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Read before leasing, so the lease surely runs at least this long: a request started
                // by then has its answer (or its timeout) and its recording before the lease runs out.
                var sendBy = time.GetUtcNow() + _o.SendWithin;
                var items = await store.LeaseOutboxAsync(registry.Kinds, _o.BatchSize, _o.Lease, stoppingToken);
                if (items.Count == 0)
                {
                    await signal.WaitAsync(_o.Poll, stoppingToken);
                    continue;
                }
                var completions = await DeliverAsync(items, sendBy, stoppingToken);
                // Recorded even while stopping: what a receiver took must not be sent again.
                await store.CompleteOutboxAsync(completions, CancellationToken.None);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.OutboxFailed(logger, e);
                try
                {
                    await Task.Delay(_o.Poll, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Sends the leased rows, <see cref="OutboxOptions.Concurrency"/> at a time. A row whose request
    /// could outlast its lease (a slow receiver holding up the batch) is not sent, so no two
    /// dispatchers ever have one row's request in flight at once: it is given back, due at once with
    /// its attempt uncounted, as is a row not started when the dispatcher stops.
    /// </summary>
    private async Task<List<OutboxCompletion>> DeliverAsync(IReadOnlyList<OutboxItem> items, DateTimeOffset sendBy, CancellationToken ct)
    {
        var done = new ConcurrentBag<OutboxCompletion>();
        var started = new ConcurrentDictionary<long, bool>();
        try
        {
            await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = _o.Concurrency, CancellationToken = ct },
                async (item, token) =>
                {
                    if (time.GetUtcNow() > sendBy) return;
                    started[item.Id] = true;
                    done.Add(await DeliverAsync(item, token));
                });
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: rows whose request was in flight may have reached the receiver; they are
            // sent again after their lease, with the same idempotency key.
        }
        foreach (var item in items.Where(i => !started.ContainsKey(i.Id)))
            done.Add(new OutboxCompletion(item.Id, OutboxOutcome.Unsent, LeasedAttempts: item.Attempts));
        return [.. done];
    }

    private async Task<OutboxCompletion> DeliverAsync(OutboxItem item, CancellationToken ct)
    {
        var result = registry.Find(item.Kind) is { } kind
            ? await HandleAsync(kind, item, ct)
            : DeliveryResult.Dead($"no handler for outbox kind '{item.Kind}'");
        var completion = result.Status switch
        {
            DeliveryStatus.Delivered => new OutboxCompletion(item.Id, OutboxOutcome.Delivered, Error: result.Error),
            DeliveryStatus.Retry when item.Attempts < _o.MaxAttempts => Retry(item, result.Error ?? "failed"),
            _ => Dead(item, result.Error ?? "refused"),
        };
        return result.Effect?.ApplyTo(completion) ?? completion;
    }

    private async Task<DeliveryResult> HandleAsync(IOutboxKind kind, OutboxItem item, CancellationToken ct)
    {
        try
        {
            return await kind.DeliverAsync(item, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // A handler's own bug or an answer it did not expect: passing, as far as anyone can tell.
            Log.OutboxHandlerFailed(logger, e, item.Id, item.Kind);
            return DeliveryResult.Retry($"{item.Kind} handler failed: {e.GetType().Name}");
        }
    }

    private OutboxCompletion Retry(OutboxItem item, string error)
    {
        var next = time.GetUtcNow() + RetrySchedule.Delay(item.Attempts, _o.FirstRetry, _o.MaxRetry, Random.Shared.NextDouble());
        Log.OutboxRetry(logger, item.Id, item.Kind, item.Attempts, next, error);
        return new OutboxCompletion(item.Id, OutboxOutcome.Retry, next, error);
    }

    private OutboxCompletion Dead(OutboxItem item, string error)
    {
        Log.OutboxDead(logger, item.Id, item.Kind, item.Recipient, item.Attempts, error);
        return new OutboxCompletion(item.Id, OutboxOutcome.Dead, Error: error);
    }
}
