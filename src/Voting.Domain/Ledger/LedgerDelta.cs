using Voting.Domain.Voting;

namespace Voting.Domain.Ledger;

/// <summary>
/// A signed change to one counter, yielded by deciding a ledger entry (a vote, a void, ...). Each
/// counter is one projection that sums the deltas of a batch and writes them in the entry's transaction.
/// Ids are plain numbers here: deltas are summed and written set-wise, never shown.
/// </summary>
public abstract record LedgerDelta;

/// <summary>Votes per contestant and type of an episode.</summary>
public sealed record TallyDelta(long Episode, long Contestant, VoteType Type, long Votes) : LedgerDelta;

/// <summary>Votes per contestant in one clock minute (unix minutes) of an episode; <paramref name="At"/> is the newest vote stamp (ms).</summary>
public sealed record MinuteTallyDelta(long Episode, long Minute, long Contestant, long Votes, long At) : LedgerDelta;

/// <summary>Votes in one clock hour (unix hours) of an episode.</summary>
public sealed record HourlyTallyDelta(long Episode, long Hour, long Votes) : LedgerDelta;

/// <summary>A voter's free allowance used, paid votes counted, votes counted and loyalty points of counted votes in one episode.</summary>
public sealed record VoterEpisodeDelta(long Voter, long Episode, long FreeUsed, long PaidCast, long VotesCast, long Points = 0) : LedgerDelta;

/// <summary>A voter's votes counted for one contestant of an episode (a contestant's unique voters).</summary>
public sealed record VoterContestantDelta(long Voter, long Episode, long Contestant, long Votes) : LedgerDelta;

/// <summary>
/// A voter's wallet of paid votes. A negative delta may not take the balance below zero, unless
/// <paramref name="MayOverdraw"/> (a refund debit: the voter then owes votes).
/// </summary>
public sealed record BalanceDelta(long Voter, long Votes, bool MayOverdraw = false) : LedgerDelta;

/// <summary>The votes left in a bundle.</summary>
public sealed record BundleDelta(long Bundle, long Votes) : LedgerDelta;

/// <summary>A voter's carrier-billed votes on one Phnom Penh day (yyyy-MM-dd).</summary>
public sealed record SmsUseDelta(long Voter, string Day, long Votes) : LedgerDelta;
