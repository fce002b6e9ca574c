using Microsoft.Extensions.Options;
using Voting.Server.Infrastructure;
using Voting.Server.Voting;
using Voting.Storage;

namespace Voting.Server.Metrics;

/// <summary>
/// The gauges that read other services: the vote writer's queue, and the outbox's pending and dead
/// rows. The outbox is counted by this loop every few seconds and a scrape reads the last count,
/// so a scraper under load never adds a query.
/// </summary>
public sealed class ServiceGauges(VotingMetrics metrics, VoteWriter writer, IOutboxStore outbox, IOptions<MetricsOptions> options,
    ILogger<ServiceGauges> logger) : BackgroundService
{
    private long _pending = -1;
    private long _dead = -1;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var meter = metrics.Meter;
        meter.CreateObservableGauge("xfactor.vote_writer.queue.depth", () => (long)writer.QueueDepth, "{command}", "Vote commands waiting for the writer");
        meter.CreateObservableGauge("xfactor.outbox.rows", Outbox, "{row}", "Outbox rows pending delivery and dead letters, as last counted");
        return base.StartAsync(cancellationToken);
    }

    private IEnumerable<System.Diagnostics.Metrics.Measurement<long>> Outbox()
    {
        var pending = Interlocked.Read(ref _pending);
        var dead = Interlocked.Read(ref _dead);
        if (pending < 0) yield break;
        yield return new(pending, new KeyValuePair<string, object?>("status", OutboxStatuses.Pending));
        yield return new(dead, new KeyValuePair<string, object?>("status", OutboxStatuses.Dead));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.OutboxPollSeconds));
        try
        {
            do
            {
                try
                {
                    var counts = await outbox.CountOutboxAsync(stoppingToken);
                    Interlocked.Exchange(ref _dead, counts.Dead);
                    Interlocked.Exchange(ref _pending, counts.Pending);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The store is away (a restart): keep the last counts and try at the next tick.
                    Log.OutboxCountFailed(logger, e);
                }
            } while (await tick.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
