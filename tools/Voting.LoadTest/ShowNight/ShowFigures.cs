namespace Voting.LoadTest.ShowNight;

/// <summary>One kind of vote's answers, as the report shows them.</summary>
internal sealed record KindFigures(
    string Kind, long Requests, long AcknowledgedRequests, long AcknowledgedVotes, long UnknownVotes,
    IReadOnlyDictionary<string, long> Refused, LatencyHistogram Latency);

internal sealed record SignalFigure(string Event, int Status, string? ErrorCode);

internal sealed record WatcherFigures(
    int Requested, int Connected, int Dropped, int SawVotingOpen, int SawVotingClosed, int SawResultsReady, int SawLiveResults,
    IReadOnlyList<string> FrozenDigests, IReadOnlyList<long> FrozenVoteCounts, long Messages, LatencyHistogram CommitToReceipt,
    IReadOnlyDictionary<string, long> ConnectErrors)
{
    public static WatcherFigures From(int requested, IReadOnlyList<WatcherLog> logs, long messages, LatencyHistogram commit,
        IReadOnlyDictionary<string, long> errors)
    {
        var connected = logs.Where(l => l.Connected).ToList();
        return new WatcherFigures(requested, connected.Count, connected.Count(l => l.Dropped),
            connected.Count(l => l.Types.Contains("VOTING_OPEN")), connected.Count(l => l.Types.Contains("VOTING_CLOSED")),
            connected.Count(l => l.Types.Contains("RESULTS_READY")), connected.Count(l => l.LiveResultsWithVotes > 0),
            [.. connected.Select(l => l.FrozenDigest).OfType<string>().Distinct(StringComparer.Ordinal)],
            [.. connected.Select(l => l.FrozenVotes).OfType<long>().Distinct()], messages, commit, errors);
    }
}

/// <summary>What the server says after the show: audit, results, history of a sample, SMS view.</summary>
internal sealed record ServerFigures(
    string? FinalState, long LedgerVotes, long TallyVotes, bool AuditConsistent, bool VoterCountersConsistent, string? AuditDigest,
    long ResultsTotalVotes, IReadOnlyDictionary<string, long> ResultsByType,
    int HistoryViewersChecked, long HistoryIdsChecked, long HistoryIdsMissing, long HistoryExtraRows,
    long SmsMessages, long SmsReplies);

/// <summary>Everything a show-night run measured, in and out of the server.</summary>
internal sealed record ShowNightFigures(
    string Url, long EpisodeId, int Seed, int WindowSeconds, int ViewersPlanned, int ViewersSignedIn, int SmsNumbers,
    IReadOnlyList<KindFigures> Kinds, IReadOnlyList<SignalFigure> Signals, WatcherFigures Watchers, ServerFigures Server,
    string StartedAt, double SetupSeconds, double ShowSeconds)
{
    public long AcknowledgedVotes => Kinds.Sum(k => k.AcknowledgedVotes);
    public long UnknownVotes => Kinds.Sum(k => k.UnknownVotes);
}

internal sealed record Check(string Name, bool Passed, string Detail);
