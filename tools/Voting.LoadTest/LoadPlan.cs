using System.Diagnostics;

namespace Voting.LoadTest;

/// <summary>What every worker shares: the pre-serialized bodies, the voters and the time window.</summary>
internal sealed class LoadPlan
{
    private long _nextVoter = -1;
    private long[]? _nextTurn;

    /// <summary>The cast_vote address of each server; worker i sends to target i mod their number.</summary>
    public required IReadOnlyList<Uri> CastVoteUris { get; init; }
    public required IReadOnlyList<byte[]> Bodies { get; init; }
    public required IReadOnlyList<Voter> Voters { get; init; }
    public required int VoteCount { get; init; }
    public required int Seed { get; init; }

    /// <summary>Prefix of the Idempotency-Key of each request, or null to send none.</summary>
    public string? IdempotencyPrefix { get; init; }

    // Stopwatch timestamps: requests started before MeasureStart are warm-up; none start after End.
    public required long Start { get; init; }
    public required long MeasureStart { get; init; }
    public required long End { get; init; }

    /// <summary>Requests per second across all workers, or null to send as fast as answers come back.</summary>
    public double? RequestsPerSecond { get; init; }

    public double SecondsSinceStart(long timestamp) => (double)(timestamp - Start) / Stopwatch.Frequency;

    /// <summary>
    /// Round-robin over all voters across all workers, so each voter sends requests/N requests
    /// and none goes past the per-voter limit before the whole population would.
    /// </summary>
    public Voter NextVoter()
    {
        var n = (ulong)Interlocked.Increment(ref _nextVoter);
        return Voters[(int)(n % (ulong)Voters.Count)];
    }

    /// <summary>
    /// With a rate, waits for this request's slot on a fixed schedule from <see cref="Start"/>
    /// (a worker that falls behind sends at once, so the rate holds while the server keeps up);
    /// false when the slot falls after <see cref="End"/>. Without a rate, returns true at once.
    /// Each target has its own schedule at an equal share of the rate, so several servers get
    /// the same load whichever answers faster.
    /// </summary>
    public async ValueTask<bool> WaitTurnAsync(int target, CancellationToken ct)
    {
        if (RequestsPerSecond is not { } rate) return true;
        var turns = LazyInitializer.EnsureInitialized(ref _nextTurn, () => [.. Enumerable.Repeat(-1L, CastVoteUris.Count)]);
        var turn = Interlocked.Increment(ref turns[target]);
        var due = Start + (long)(turn * Stopwatch.Frequency * CastVoteUris.Count / rate);
        if (due >= End) return false;
        var wait = due - Stopwatch.GetTimestamp();
        if (wait > 0) await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), ct);
        return true;
    }
}
