namespace Voting.LoadTest.Watchers;

/// <summary>Server resident memory in bytes at the points of a run (null where it could not be read).</summary>
internal sealed record MemoryFigures(int? Pid, long? Idle, long? Connected, long? Peak, long? End);

/// <summary>The figures of a <c>watchers</c> run, merged over the watcher processes.</summary>
internal sealed record WatchResult
{
    public required Uri Url { get; init; }
    public required int Watchers { get; init; }
    public required int Processes { get; init; }
    public required int ProcessesReported { get; init; }
    public required int VotesPerSecondTarget { get; init; }
    public required int WarmupSeconds { get; init; }
    public required int MeasuredSeconds { get; init; }
    public required double RampSeconds { get; init; }
    public required bool StoppedEarly { get; init; }
    public required int Connected { get; init; }
    public required int ConnectFailed { get; init; }
    public required int Dropped { get; init; }
    public required int HeldAtEnd { get; init; }
    public required long Messages { get; init; }
    public required long LiveResults { get; init; }
    public required long Bytes { get; init; }
    public required long SeqRegressions { get; init; }
    public required LatencyHistogram CommitToReceipt { get; init; }
    public required LatencyHistogram SendToReceipt { get; init; }
    public required IReadOnlyDictionary<string, long> ConnectErrors { get; init; }
    public required MemoryFigures Memory { get; init; }
    public required LoadResult? Votes { get; init; }

    public double MessagesPerSecond => Messages / (double)MeasuredSeconds;
    public double LiveResultsPerWatcherPerSecond => HeldAtEnd == 0 ? 0 : LiveResults / (double)MeasuredSeconds / HeldAtEnd;
    public double MegabytesPerSecond => Bytes / 1e6 / MeasuredSeconds;

    /// <summary>Server memory per connected watcher, from before the watchers to after they connected.</summary>
    public double? KilobytesPerWatcher =>
        Memory is { Idle: { } idle, Connected: { } connected } && Connected > 0 ? (connected - idle) / 1024.0 / Connected : null;

    public static WatchResult From(WatchOptions o, IReadOnlyList<ChildResult?> children, LoadResult? votes, MemoryFigures memory,
        double rampSeconds, bool stoppedEarly)
    {
        var reported = children.OfType<ChildResult>().ToList();
        var commit = new LatencyHistogram();
        var send = new LatencyHistogram();
        foreach (var c in reported)
        {
            commit.Add(LatencyHistogram.FromData(c.CommitToReceipt));
            send.Add(LatencyHistogram.FromData(c.SendToReceipt));
        }
        return new WatchResult
        {
            Url = o.Votes.BaseUrl,
            Watchers = o.Watchers,
            Processes = o.Processes,
            ProcessesReported = reported.Count,
            VotesPerSecondTarget = o.VotesPerSecond,
            WarmupSeconds = o.Votes.WarmupSeconds,
            MeasuredSeconds = o.Votes.DurationSeconds,
            RampSeconds = rampSeconds,
            StoppedEarly = stoppedEarly,
            Connected = reported.Sum(c => c.Connected),
            ConnectFailed = reported.Sum(c => c.Failed),
            Dropped = reported.Sum(c => c.Dropped),
            HeldAtEnd = reported.Sum(c => c.HeldAtEnd),
            Messages = reported.Sum(c => c.MeasuredMessages),
            LiveResults = reported.Sum(c => c.MeasuredLiveResults),
            Bytes = reported.Sum(c => c.MeasuredBytes),
            SeqRegressions = reported.Sum(c => c.SeqRegressions),
            CommitToReceipt = commit,
            SendToReceipt = send,
            ConnectErrors = reported.SelectMany(c => c.ConnectErrors)
                .GroupBy(e => e.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(e => e.Value), StringComparer.Ordinal),
            Memory = memory,
            Votes = votes,
        };
    }
}
