namespace Voting.LoadTest.Watchers;

/// <summary>Server resident memory in bytes at the points of a run (null where it could not be read).</summary>
internal sealed record MemoryFigures(int? Pid, long? Idle, long? Connected, long? Peak, long? End)
{
    /// <summary>
    /// Several servers' memory added up (no pid): each figure is null unless every server's is
    /// known; the peak is the sum of each server's own peak, an upper bound of their peak together.
    /// </summary>
    public static MemoryFigures Sum(IReadOnlyList<MemoryFigures> nodes)
    {
        static long? Add(IEnumerable<long?> values) => values.Aggregate((long?)0, (sum, v) => sum + v);
        return new MemoryFigures(null, Add(nodes.Select(n => n.Idle)), Add(nodes.Select(n => n.Connected)),
            Add(nodes.Select(n => n.Peak)), Add(nodes.Select(n => n.End)));
    }

    /// <summary>Server memory per connected watcher, from before the watchers to after they connected.</summary>
    public double? KilobytesPer(int watchers) =>
        Idle is { } idle && Connected is { } connected && watchers > 0 ? (connected - idle) / 1024.0 / watchers : null;
}

/// <summary>One server's share of a <c>watchers</c> run: its watchers, their delays, its memory and the votes it committed.</summary>
internal sealed record NodeResult(
    Uri Url,
    int Watchers,
    int Processes,
    int ProcessesReported,
    int Connected,
    int Dropped,
    int HeldAtEnd,
    LatencyHistogram CommitToReceipt,
    MemoryFigures Memory,
    long? CommittedVotes)
{
    public double? KilobytesPerWatcher => Memory.KilobytesPer(Connected);
}

/// <summary>The figures of a <c>watchers</c> run, merged over the watcher processes.</summary>
internal sealed record WatchResult
{
    public required Uri Url { get; init; }
    public required IReadOnlyList<Uri> Urls { get; init; }
    public required IReadOnlyList<NodeResult> Nodes { get; init; }
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

    /// <summary>Server memory per connected watcher, from before the watchers to after they connected (all servers together).</summary>
    public double? KilobytesPerWatcher => Memory.KilobytesPer(Connected);

    /// <param name="memory">Each server's memory, in the order of <see cref="WatchOptions.Urls"/>.</param>
    public static WatchResult From(WatchOptions o, IReadOnlyList<ChildOutcome> children, LoadResult? votes, IReadOnlyList<MemoryFigures> memory,
        double rampSeconds, bool stoppedEarly)
    {
        var nodes = o.Urls.Select((url, k) => Node(o, k, children.Where(c => c.Options.BaseUrl == url).ToList(), memory[k], votes)).ToList();
        var reported = children.Select(c => c.Result).OfType<ChildResult>().ToList();
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
            Urls = o.Urls,
            Nodes = nodes,
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
            Memory = nodes.Count == 1 ? nodes[0].Memory : MemoryFigures.Sum([.. nodes.Select(n => n.Memory)]),
            Votes = votes,
        };
    }

    private static NodeResult Node(WatchOptions o, int k, IReadOnlyList<ChildOutcome> children, MemoryFigures memory, LoadResult? votes)
    {
        var reported = children.Select(c => c.Result).OfType<ChildResult>().ToList();
        var commit = new LatencyHistogram();
        foreach (var c in reported) commit.Add(LatencyHistogram.FromData(c.CommitToReceipt));
        return new NodeResult(o.Urls[k], o.WatchersOf(k), children.Count, reported.Count, reported.Sum(c => c.Connected), reported.Sum(c => c.Dropped),
            reported.Sum(c => c.HeldAtEnd), commit, memory, votes is { CommittedVotesByTarget: var byTarget } && k < byTarget.Count ? byTarget[k] : null);
    }
}
