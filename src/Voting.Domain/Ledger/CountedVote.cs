using Voting.Domain.Voting;

namespace Voting.Domain.Ledger;

/// <summary>A vote row of the ledger, as far as the counters are concerned.</summary>
/// <param name="CreatedAtMs">The vote's commit stamp (unix ms): its minute, hour and SMS day.</param>
/// <param name="Bundle">The bundle a bundle vote drew on, else 0.</param>
public sealed record CountedVote(long Voter, long Episode, long Contestant, VoteType Type, int Count, long CreatedAtMs, long Bundle = 0)
{
    /// <summary>The Phnom Penh day the vote counts against the SMS daily limit.</summary>
    public string SmsDay => VoteRules.PhnomPenhDay(DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs));
}
