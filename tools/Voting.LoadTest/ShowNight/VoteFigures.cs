using System.Collections.Concurrent;

namespace Voting.LoadTest.ShowNight;

/// <summary>The crowd's answers for one kind of vote; written by many requests at once, so under a lock.</summary>
internal sealed class VoteFigures
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _refused = new(StringComparer.Ordinal);

    public LatencyHistogram Acknowledged { get; } = new();
    public long Requests { get; private set; }
    public long AcknowledgedVotes { get; private set; }
    public long UnknownRequests { get; private set; }

    /// <summary>Votes of requests with no answer (timeout, broken connection): they may or may not have counted.</summary>
    public long UnknownVotes { get; private set; }

    public IReadOnlyDictionary<string, long> Refused
    {
        get
        {
            lock (_gate) return new Dictionary<string, long>(_refused, StringComparer.Ordinal);
        }
    }

    public void RecordAcknowledged(int votes, long micros)
    {
        lock (_gate)
        {
            Requests++;
            AcknowledgedVotes += votes;
            Acknowledged.Record(micros);
        }
    }

    /// <summary>A refusal, keyed "status ERROR_CODE".</summary>
    public void RecordRefused(string key)
    {
        lock (_gate)
        {
            Requests++;
            _refused[key] = _refused.GetValueOrDefault(key) + 1;
        }
    }

    public void RecordUnknown(int votes, string kind)
    {
        lock (_gate)
        {
            Requests++;
            UnknownRequests++;
            UnknownVotes += votes;
            _refused["no answer " + kind] = _refused.GetValueOrDefault("no answer " + kind) + 1;
        }
    }
}

/// <summary>Every kind's figures, and the vote ids each app viewer was given.</summary>
internal sealed class CrowdFigures
{
    public Dictionary<VoteKind, VoteFigures> ByKind { get; } = Enum.GetValues<VoteKind>().ToDictionary(k => k, _ => new VoteFigures());
    public ConcurrentDictionary<int, ConcurrentBag<long>> VoteIds { get; } = new();
    public ConcurrentDictionary<int, int> UnknownByViewer { get; } = new();
    public long SmsReplies;

    public long AcknowledgedVotes => ByKind.Values.Sum(f => f.AcknowledgedVotes);
    public long UnknownVotes => ByKind.Values.Sum(f => f.UnknownVotes);
    public long AcknowledgedRequests => ByKind.Values.Sum(f => f.Acknowledged.Count);
    public long Refusals => ByKind.Values.Sum(f => f.Refused.Values.Sum());
}
