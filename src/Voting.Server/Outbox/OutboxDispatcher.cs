using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Voting.Domain.Outbox;
using Voting.Domain.Phones;
using Voting.Server.Infrastructure;
using Voting.Server.Sms;
using Voting.Storage;

namespace Voting.Server.Outbox;

/// <summary>
/// Delivers the outbox: texts (sign-in codes, replies) and charge requests, each to the API of
/// the carrier concerned. Rows are leased, so two dispatchers (on any nodes) never send one row
/// at once; a failure is retried with exponential backoff and jitter; after the last attempt the
/// row is a dead letter for an operator to retry. Delivery is at least once: a crash between a
/// carrier's answer and its recording sends the row again after its lease, with the same
/// idempotency key.
/// </summary>
public sealed class OutboxDispatcher(IOutboxStore store, CarrierSenders senders, OutboxSignal signal, IOptions<OutboxOptions> options,
    IOptions<SmsOptions> sms, TimeProvider time, ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private static readonly string[] Kinds = [OutboxKinds.Sms, OutboxKinds.Charge];
    private readonly OutboxOptions _o = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Read before leasing, so the lease surely runs at least this long.
                var sendBy = time.GetUtcNow() + _o.Lease - _o.Timeout;
                var items = await store.LeaseOutboxAsync(Kinds, _o.BatchSize, _o.Lease, stoppingToken);
                if (items.Count == 0)
                {
                    await signal.WaitAsync(_o.Poll, stoppingToken);
                    continue;
                }
                var completions = await DeliverAsync(items, sendBy, stoppingToken);
                // Recorded even while stopping: what a carrier took must not be sent again.
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
    /// could outlast its lease (a slow carrier holding up the batch) is not sent: it is leased again
    /// later, so no two dispatchers ever have one row's request in flight at once.
    /// </summary>
    private async Task<List<OutboxCompletion>> DeliverAsync(IReadOnlyList<OutboxItem> items, DateTimeOffset sendBy, CancellationToken ct)
    {
        var done = new ConcurrentBag<OutboxCompletion>();
        try
        {
            await Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = _o.Concurrency, CancellationToken = ct },
                async (item, token) =>
                {
                    if (time.GetUtcNow() <= sendBy) done.Add(await DeliverAsync(item, token));
                });
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: rows whose answer did not come are sent again after their lease.
        }
        return [.. done];
    }

    private async Task<OutboxCompletion> DeliverAsync(OutboxItem item, CancellationToken ct)
    {
        if (Read(item) is not { } message) return Dead(item, "unreadable payload");
        var charge = message.Charge;
        if (senders.For(message.Carrier, charge is not null) is not { } sender)
            return Dead(item, $"no carrier serves {item.Recipient}");
        var result = charge is not null
            ? await sender.ChargeAsync(charge.Request, ct)
            : await sender.SendSmsAsync(new OutgoingSms(item.Recipient, message.From, message.Text, item.IdempotencyKey), ct);
        return result.Status switch
        {
            SendStatus.Accepted => new OutboxCompletion(item.Id, OutboxOutcome.Delivered, ChargeVoteId: charge?.VoteId,
                Charge: charge is null ? null : ChargeStatus.Confirmed),
            // A declined charge is an answer: the request was delivered and the vote's charge failed.
            SendStatus.Declined when charge is not null => new OutboxCompletion(item.Id, OutboxOutcome.Delivered, Error: result.Error,
                ChargeVoteId: charge.VoteId, Charge: ChargeStatus.Failed),
            SendStatus.Failed when item.Attempts < _o.MaxAttempts => Retry(item, result.Error ?? "failed"),
            _ => Dead(item, result.Error ?? "refused"),
        };
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

    private sealed record Message(Carrier Carrier, Charge? Charge, string Text = "", string From = "");

    private sealed record Charge(long VoteId, OutgoingCharge Request);

    /// <summary>
    /// The row's carrier and request. Replies name the carrier that delivered the text; sign-in
    /// codes go to the carrier of the phone's prefix.
    /// </summary>
    private Message? Read(OutboxItem item)
    {
        try
        {
            using var doc = JsonDocument.Parse(item.Payload);
            var p = doc.RootElement;
            string? Str(string name) => p.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            var carrier = Str("carrier") is { } named ? CarrierNames.FromWire(named) : PhoneNumber.CarrierOf(item.Recipient);
            if (item.Kind == OutboxKinds.Charge)
            {
                var cents = p.GetProperty("amount_cents").GetInt64();
                return new Message(carrier, new Charge(p.GetProperty("vote_id").GetInt64(), new OutgoingCharge(item.Recipient,
                    cents / 100m, Str("currency") ?? "USD", Str("description") ?? "XFactor vote", item.IdempotencyKey)));
            }
            return Str("message") is { } text ? new Message(carrier, null, text, Str("from") ?? sms.Value.ShortCode) : null;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>For operators' lists: the carrier a row goes to.</summary>
    public static string CarrierOf(OutboxEntry entry)
    {
        try
        {
            using var doc = JsonDocument.Parse(entry.Payload);
            if (doc.RootElement.TryGetProperty("carrier", out var c) && c.ValueKind == JsonValueKind.String) return c.GetString()!;
        }
        catch (JsonException)
        {
        }
        return PhoneNumber.CarrierOf(entry.Recipient).ToWire();
    }
}
