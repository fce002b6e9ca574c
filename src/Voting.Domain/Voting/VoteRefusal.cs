namespace Voting.Domain.Voting;

/// <summary>Why a vote was not counted. Each maps to one documented error code.</summary>
public enum VoteRefusal
{
    /// <summary>The episode's voting window is not open at commit time.</summary>
    VotingClosed,
    /// <summary>The contestant exists but is not in the episode's line-up.</summary>
    InvalidContestant,
    /// <summary>The contestant has been eliminated.</summary>
    ContestantEliminated,
    /// <summary>More free votes than the episode allows.</summary>
    FreeVoteLimitExceeded,
    /// <summary>The wallet holds fewer paid votes than asked.</summary>
    InsufficientVoteBalance,
    /// <summary>No bundle holds enough votes.</summary>
    InsufficientBundleVotes,
    /// <summary>Carrier billing needs a verified phone.</summary>
    PhoneNotVerified,
    /// <summary>More SMS votes than the daily limit allows.</summary>
    SmsLimitExceeded,
    /// <summary>Unknown vote type.</summary>
    InvalidVoteType,
    /// <summary>Vote count outside 1–1000.</summary>
    InvalidVoteCount,
    /// <summary>No contestant has that id.</summary>
    ContestantNotFound,
    /// <summary>No episode has that id.</summary>
    EpisodeNotFound,
    /// <summary>The voter behind the token no longer exists.</summary>
    VoterNotFound,
    /// <summary>The idempotency key was used before with another request.</summary>
    IdempotencyKeyReused,
    /// <summary>The vote's fraud score is over the block threshold.</summary>
    VoteBlocked,
    /// <summary>The vote comes from outside the allowed countries and the voter is not travelling.</summary>
    VoteGeoBlocked,
}

/// <summary>Error codes and messages of refusals, as the HTTP contract names them.</summary>
public static class VoteRefusals
{
    /// <summary>The machine code of a refusal.</summary>
    public static string Code(this VoteRefusal refusal) => refusal switch
    {
        VoteRefusal.VotingClosed => "VOTING_CLOSED",
        VoteRefusal.InvalidContestant => "INVALID_CONTESTANT",
        VoteRefusal.ContestantEliminated => "CONTESTANT_ELIMINATED",
        VoteRefusal.FreeVoteLimitExceeded => "FREE_VOTE_LIMIT_EXCEEDED",
        VoteRefusal.InsufficientVoteBalance => "INSUFFICIENT_VOTE_BALANCE",
        VoteRefusal.InsufficientBundleVotes => "INSUFFICIENT_BUNDLE_VOTES",
        VoteRefusal.PhoneNotVerified => "PHONE_NOT_VERIFIED",
        VoteRefusal.SmsLimitExceeded => "SMS_LIMIT_EXCEEDED",
        VoteRefusal.InvalidVoteType => "INVALID_VOTE_TYPE",
        VoteRefusal.InvalidVoteCount => "INVALID_VOTE_COUNT",
        VoteRefusal.ContestantNotFound => "CONTESTANT_NOT_FOUND",
        VoteRefusal.EpisodeNotFound => "EPISODE_NOT_FOUND",
        VoteRefusal.VoterNotFound => "UNAUTHORIZED",
        VoteRefusal.IdempotencyKeyReused => "IDEMPOTENCY_KEY_REUSED",
        VoteRefusal.VoteBlocked => "VOTE_BLOCKED",
        VoteRefusal.VoteGeoBlocked => "VOTE_GEO_BLOCKED",
        _ => throw new ArgumentOutOfRangeException(nameof(refusal)),
    };

    /// <summary>The human message; <paramref name="remaining"/> is what is left where the rule has a limit.</summary>
    public static string Message(this VoteRefusal refusal, long remaining) => refusal switch
    {
        VoteRefusal.VotingClosed => "Voting is closed for this episode",
        VoteRefusal.InvalidContestant => "Contestant is not part of this episode",
        VoteRefusal.ContestantEliminated => "Contestant has been eliminated",
        VoteRefusal.FreeVoteLimitExceeded => $"You can only cast {remaining} more free votes",
        VoteRefusal.InsufficientVoteBalance => $"Insufficient vote balance. You have {remaining} votes",
        VoteRefusal.InsufficientBundleVotes => $"Insufficient bundle votes. You have {remaining} bundle votes",
        VoteRefusal.PhoneNotVerified => "Phone number is not verified",
        VoteRefusal.SmsLimitExceeded => $"Daily SMS vote limit reached. You can cast {remaining} more SMS votes today",
        VoteRefusal.InvalidVoteType => "vote_type must be one of free, paid, bundle, sms",
        VoteRefusal.InvalidVoteCount => $"vote_count must be between 1 and {VoteRules.MaxVoteCount}",
        VoteRefusal.ContestantNotFound => "Contestant not found",
        VoteRefusal.EpisodeNotFound => "Episode not found",
        VoteRefusal.VoterNotFound => "Voter not found",
        VoteRefusal.IdempotencyKeyReused => "Idempotency-Key was already used with a different request",
        VoteRefusal.VoteBlocked => "This vote was not counted: it looks automated or abusive. If you think this is wrong, contact support",
        VoteRefusal.VoteGeoBlocked => "Voting is only open to viewers in Cambodia. This vote was not counted",
        _ => throw new ArgumentOutOfRangeException(nameof(refusal)),
    };
}
