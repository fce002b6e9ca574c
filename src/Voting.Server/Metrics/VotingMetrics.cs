using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using Voting.Domain.Voting;
using Voting.Storage;

namespace Voting.Server.Metrics;

/// <summary>
/// The service's meter, "XFactor.Voting" (exported with the prefix xfactor_). The vote path records
/// once per batch, with tag values built once, so a vote costs no allocation here; every other
/// feature records through a method of this class so that names and tags live in one place.
/// With <c>Metrics:Enabled=false</c> nothing listens and the per-batch work is skipped.
/// </summary>
public sealed class VotingMetrics
{
    public const string MeterName = "XFactor.Voting";

    private static readonly KeyValuePair<string, object?>[] TypeTags =
        Enum.GetValues<VoteType>().Select(t => new KeyValuePair<string, object?>("type", t.ToWire())).ToArray();

    private readonly Counter<long> _votes;
    private readonly Counter<long> _refusals;
    private readonly Histogram<double> _castDuration;
    private readonly Histogram<long> _batchSize;
    private readonly Histogram<double> _commitDuration;
    private readonly Counter<long> _sms;
    private readonly Counter<long> _purchases;
    private readonly Counter<double> _revenue;

    public VotingMetrics(IMeterFactory meters, IOptions<MetricsOptions> options)
    {
        Enabled = options.Value.Enabled;
        Meter = meters.Create(MeterName);
        _votes = Meter.CreateCounter<long>("xfactor.votes.committed", "{vote}", "Votes committed (sum of vote_count), by vote type");
        _refusals = Meter.CreateCounter<long>("xfactor.votes.refused", "{request}", "cast_vote requests answered with an error, by error_code");
        _castDuration = Meter.CreateHistogram("xfactor.cast_vote.duration", "s", "cast_vote from the handler's start to its answer",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _batchSize = Meter.CreateHistogram("xfactor.vote_batch.size", "{command}", "Commands per committed vote batch",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] });
        _commitDuration = Meter.CreateHistogram("xfactor.vote_batch.commit.duration", "s", "Store transaction time of a vote batch",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _sms = Meter.CreateCounter<long>("xfactor.sms.messages", "{message}", "Texts delivered by the carriers' webhooks and judged, by carrier and outcome");
        _purchases = Meter.CreateCounter<long>("xfactor.purchases", "{purchase}", "Vote package purchases credited, by platform");
        _revenue = Meter.CreateCounter<double>("xfactor.revenue", null, "Revenue of credited package purchases in the currency's units, by platform and currency");
        var connections = Meter.CreateUpDownCounter<long>("xfactor.live.connections", "{connection}", "Open push connections, by channel");
        var sent = Meter.CreateCounter<long>("xfactor.live.messages.sent", "{message}", "Push messages written to connections, by channel");
        WebSocket = new LiveChannelMetrics(connections, sent, "websocket");
        Sse = new LiveChannelMetrics(connections, sent, "sse");
    }

    public bool Enabled { get; }

    /// <summary>For the observable instruments that read other services (queue depth, outbox).</summary>
    public Meter Meter { get; }

    public LiveChannelMetrics WebSocket { get; }

    public LiveChannelMetrics Sse { get; }

    /// <summary>
    /// A committed batch: its size and commit time, the votes each accepted command committed by type,
    /// and each text's outcome by carrier. Replayed answers (a retried key, a redelivered text) count nothing.
    /// </summary>
    public void BatchCommitted<T>(List<T> batch, Func<T, VoteCommand> command, IReadOnlyList<VoteOutcome> outcomes, TimeSpan commitTime)
    {
        if (!Enabled) return;
        _batchSize.Record(batch.Count);
        _commitDuration.Record(commitTime.TotalSeconds);
        Span<long> byType = stackalloc long[TypeTags.Length];
        for (var i = 0; i < outcomes.Count; i++)
        {
            switch (outcomes[i])
            {
                case VoteAccepted { Replayed: false }:
                    var request = command(batch[i]).Request;
                    byType[(int)request.Type] += request.Count;
                    break;
                case SmsAnswered { Replayed: false } text:
                    byType[(int)VoteType.Sms] += text.Votes;
                    _sms.Add(1, new KeyValuePair<string, object?>("carrier", command(batch[i]).Sms?.Carrier ?? "unknown"),
                        new KeyValuePair<string, object?>("outcome", text.Outcome));
                    break;
            }
        }
        for (var t = 0; t < byType.Length; t++)
        {
            if (byType[t] > 0) _votes.Add(byType[t], TypeTags[t]);
        }
    }

    /// <summary>A cast_vote answer: its time, and its error_code when it was refused.</summary>
    public void CastAnswered(TimeSpan elapsed, string? errorCode)
    {
        _castDuration.Record(elapsed.TotalSeconds);
        if (errorCode is not null) Refused(errorCode);
    }

    public void Refused(string errorCode) => _refusals.Add(1, new KeyValuePair<string, object?>("code", errorCode));

    public void PurchaseCredited(string platform, string currency, long amountCents)
    {
        var tag = new KeyValuePair<string, object?>("platform", platform);
        _purchases.Add(1, tag);
        _revenue.Add(amountCents / 100.0, tag, new KeyValuePair<string, object?>("currency", currency));
    }
}

/// <summary>One push channel's connections and messages, with its tag built once.</summary>
public sealed class LiveChannelMetrics(UpDownCounter<long> connections, Counter<long> sent, string channel)
{
    private readonly KeyValuePair<string, object?> _tag = new("channel", channel);

    public void Opened() => connections.Add(1, _tag);

    public void Closed() => connections.Add(-1, _tag);

    public void Sent(int messages) => sent.Add(messages, _tag);
}
