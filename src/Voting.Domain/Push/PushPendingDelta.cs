using Voting.Domain.Ledger;

namespace Voting.Domain.Push;

/// <summary>A committed vote waiting to be notified to its voter (kept only for voters with a device).</summary>
public sealed record PushPendingDelta(long Voter, PendingVotes Votes) : LedgerDelta;
