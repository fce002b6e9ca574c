namespace Voting.LoadTest;

/// <summary>
/// One worker's figures. The histograms and tallies are written by that worker alone and read
/// after it ends; the live counters are also read once a second by the progress display.
/// </summary>
internal sealed class WorkerStats
{
    private long _liveRequests;
    private long _liveOk;
    private long _liveErrors;

    public LatencyHistogram Committed { get; } = new();
    public LatencyHistogram Answered { get; } = new();
    public RefusalTally Refusals { get; } = new();
    public Dictionary<string, long> TransportErrors { get; } = new(StringComparer.Ordinal);
    public long MeasuredRequests { get; private set; }

    public long LiveRequests => Volatile.Read(ref _liveRequests);
    public long LiveOk => Volatile.Read(ref _liveOk);
    public long LiveErrors => Volatile.Read(ref _liveErrors);

    public void RecordAnswer(bool measured, int status, long micros, ReadOnlySpan<byte> body) =>
        RecordAnswer(measured, status == 200, status, micros, status == 200 ? default : ErrorCode.Find(body));

    /// <summary>An answer whose success the caller judged (a webhook answers 200 to a refused text too).</summary>
    public void RecordAnswer(bool measured, bool ok, int status, long micros, ReadOnlySpan<byte> refusalCode)
    {
        Volatile.Write(ref _liveRequests, _liveRequests + 1);
        if (ok) Volatile.Write(ref _liveOk, _liveOk + 1);
        else Volatile.Write(ref _liveErrors, _liveErrors + 1);
        if (!measured) return;

        MeasuredRequests++;
        Answered.Record(micros);
        if (ok) Committed.Record(micros);
        else Refusals.Record(status, refusalCode);
    }

    public void RecordTransportError(bool measured, string kind)
    {
        Volatile.Write(ref _liveRequests, _liveRequests + 1);
        Volatile.Write(ref _liveErrors, _liveErrors + 1);
        if (!measured) return;

        MeasuredRequests++;
        TransportErrors[kind] = TransportErrors.GetValueOrDefault(kind) + 1;
    }
}

/// <summary>All workers' figures summed, for a <see cref="LoadResult"/>.</summary>
internal sealed record WorkerTotals(
    long Requests, LatencyHistogram Committed, LatencyHistogram Answered,
    IReadOnlyList<Refusal> Refusals, IReadOnlyList<KeyValuePair<string, long>> TransportErrors)
{
    /// <summary>Sums the workers' histograms and tallies; refusals and transport errors most frequent first.</summary>
    public static WorkerTotals Sum(IReadOnlyList<WorkerStats> workers)
    {
        var committed = new LatencyHistogram();
        var answered = new LatencyHistogram();
        var transport = new Dictionary<string, long>(StringComparer.Ordinal);
        long requests = 0;
        foreach (var stats in workers)
        {
            committed.Add(stats.Committed);
            answered.Add(stats.Answered);
            requests += stats.MeasuredRequests;
            foreach (var (kind, count) in stats.TransportErrors) transport[kind] = transport.GetValueOrDefault(kind) + count;
        }
        var refusals = workers.SelectMany(w => w.Refusals.Snapshot())
            .GroupBy(r => (r.Status, r.ErrorCode))
            .Select(g => new Refusal(g.Key.Status, g.Key.ErrorCode, g.Sum(r => r.Count)))
            .OrderByDescending(r => r.Count).ToList();
        return new WorkerTotals(requests, committed, answered, refusals, [.. transport.OrderByDescending(t => t.Value)]);
    }
}
