using Voting.Domain.Voting;

namespace Voting.Domain.Ledger;

/// <summary>
/// What ledger entries do to the counters. A void is the exact opposite of its vote for everything
/// counted (tallies, minutes, hours, votes cast, loyalty points, votes per contestant); with a refund it also gives back what the vote
/// spent, and without one (fraud) the allowance stays used.
/// </summary>
public static class LedgerEffects
{
    private const long MsPerMinute = 60_000, MsPerHour = 3_600_000;

    /// <summary>The deltas of a vote committed now.</summary>
    public static IEnumerable<LedgerDelta> OfVote(CountedVote v)
    {
        foreach (var d in Counted(v, +1)) yield return d;
        yield return Spent(v, +1);
    }

    /// <summary>The deltas of voiding <paramref name="v"/>; <paramref name="refund"/> gives back what it spent.</summary>
    public static IEnumerable<LedgerDelta> OfVoid(CountedVote v, bool refund)
    {
        foreach (var d in Counted(v, -1)) yield return d;
        if (refund) yield return Spent(v, -1);
    }

    /// <summary>
    /// The deltas of a wallet entry: a credit adds paid votes; a debit takes them, and with
    /// <paramref name="mayOverdraw"/> (a store refund of votes already spent) it may leave the voter owing votes.
    /// </summary>
    public static IEnumerable<LedgerDelta> OfWalletEntry(long voter, long votes, bool mayOverdraw = false)
    {
        yield return new BalanceDelta(voter, votes, mayOverdraw);
    }

    /// <summary>The counters that say how many votes there are.</summary>
    private static IEnumerable<LedgerDelta> Counted(CountedVote v, int sign)
    {
        long n = sign * v.Count;
        yield return new TallyDelta(v.Episode, v.Contestant, v.Type, n);
        yield return new MinuteTallyDelta(v.Episode, v.CreatedAtMs / MsPerMinute, v.Contestant, n, v.CreatedAtMs);
        yield return new HourlyTallyDelta(v.Episode, v.CreatedAtMs / MsPerHour, n);
        yield return new VoterEpisodeDelta(v.Voter, v.Episode, 0, v.Type == VoteType.Paid ? n : 0, n, sign * VoteRules.LoyaltyPoints(v.Type, v.Count));
        yield return new VoterContestantDelta(v.Voter, v.Episode, v.Contestant, n);
    }

    /// <summary>What the vote spent: spending is +1, giving back is -1.</summary>
    private static LedgerDelta Spent(CountedVote v, int sign)
    {
        long n = sign * v.Count;
        return v.Type switch
        {
            VoteType.Free => new VoterEpisodeDelta(v.Voter, v.Episode, n, 0, 0),
            VoteType.Paid => new BalanceDelta(v.Voter, -n),
            VoteType.Bundle => new BundleDelta(v.Bundle, -n),
            VoteType.Sms => new SmsUseDelta(v.Voter, v.SmsDay, n),
            _ => throw new ArgumentOutOfRangeException(nameof(v), v.Type, "unknown vote type"),
        };
    }
}
