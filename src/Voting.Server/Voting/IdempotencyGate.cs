using System.Collections.Concurrent;
using Voting.Storage;

namespace Voting.Server.Voting;

/// <summary>
/// Holds votes with an Idempotency-Key while they are in flight in this process, so a
/// duplicate waits for the first one's outcome instead of racing it. Durable deduplication is
/// the ledger's unique key (voter, key); this only makes concurrent duplicates cheap and exact.
/// </summary>
public sealed class IdempotencyGate
{
    private readonly ConcurrentDictionary<(long Voter, string Key), InFlight> _inFlight = new();

    private sealed record InFlight(string Fingerprint, Task<VoteOutcome> Outcome);

    /// <summary>
    /// Runs <paramref name="submit"/> once per (voter, key) at a time. A duplicate gets the
    /// first one's outcome when its fingerprint matches, and null when it does not.
    /// </summary>
    public async Task<(VoteOutcome? Outcome, bool Duplicate)> RunAsync(long voter, string key, string fingerprint, Func<Task<VoteOutcome>> submit)
    {
        var tcs = new TaskCompletionSource<VoteOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var mine = new InFlight(fingerprint, tcs.Task);
        var entry = _inFlight.GetOrAdd((voter, key), mine);
        if (!ReferenceEquals(entry, mine))
        {
            if (!string.Equals(entry.Fingerprint, fingerprint, StringComparison.Ordinal)) return (null, true);
            var first = await entry.Outcome;
            return (first is VoteAccepted a ? a with { Replayed = true } : first, true);
        }
        try
        {
            var outcome = await submit();
            tcs.SetResult(outcome);
            return (outcome, false);
        }
        catch (Exception e)
        {
            tcs.SetException(e);
            throw;
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<(long, string), InFlight>((voter, key), mine));
        }
    }
}
