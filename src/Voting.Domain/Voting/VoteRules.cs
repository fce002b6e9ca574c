namespace Voting.Domain.Voting;

/// <summary>The episode's voting window as stored.</summary>
/// <param name="State">"idle", "open" or "closed".</param>
public sealed record EpisodeWindow(EpisodeId Id, string State, DateTimeOffset? Start, DateTimeOffset? End)
{
    /// <summary>Whether a vote committed at <paramref name="now"/> falls inside the window.</summary>
    public bool IsOpenAt(DateTimeOffset now) =>
        State == EpisodeStates.Open && Start is { } s && End is { } e && now >= s && now < e;

    /// <summary>Whole seconds left at <paramref name="now"/>, zero when closed.</summary>
    public long SecondsRemaining(DateTimeOffset now) =>
        IsOpenAt(now) ? (long)Math.Ceiling((End!.Value - now).TotalSeconds) : 0;
}

/// <summary>Stored voting states of an episode.</summary>
public static class EpisodeStates
{
    /// <summary>Voting has never been opened.</summary>
    public const string Idle = "idle";
    /// <summary>Voting is open until the window's end.</summary>
    public const string Open = "open";
    /// <summary>Voting was closed.</summary>
    public const string Closed = "closed";
}

/// <summary>A contestant as seen from one episode's line-up.</summary>
public sealed record LineupEntry(ContestantId Contestant, string Name, int BallotNumber, bool Eliminated);

/// <summary>What a voter asks for, already parsed.</summary>
public sealed record VoteRequest(ContestantId Contestant, VoteType Type, int Count);

/// <summary>The rules of voting, free of I/O and clocks.</summary>
public static class VoteRules
{
    /// <summary>Free votes per voter per episode.</summary>
    public const int FreeVotesPerEpisode = 5;
    /// <summary>SMS votes per voter per Phnom Penh calendar day.</summary>
    public const int SmsVotesPerDay = 50;
    /// <summary>Largest vote_count one request may carry.</summary>
    public const int MaxVoteCount = 1000;
    /// <summary>cast_vote requests per voter per minute.</summary>
    public const int VoteRequestsPerMinute = 100;
    /// <summary>Loyalty points per vote.</summary>
    public const int LoyaltyPointsPerVote = 2;

    private static readonly TimeSpan PhnomPenhOffset = TimeSpan.FromHours(7);

    /// <summary>Checks the count alone: 1 to <see cref="MaxVoteCount"/>.</summary>
    public static bool IsValidCount(long count) => count is >= 1 and <= MaxVoteCount;

    /// <summary>Loyalty points for a vote: 2 per vote, ×1.5 for paid votes, rounded down.</summary>
    public static int LoyaltyPoints(VoteType type, int count) =>
        type == VoteType.Paid ? count * LoyaltyPointsPerVote * 3 / 2 : count * LoyaltyPointsPerVote;

    /// <summary>The Phnom Penh (UTC+7) calendar day a moment falls on, as yyyy-MM-dd.</summary>
    public static string PhnomPenhDay(DateTimeOffset moment) =>
        moment.ToOffset(PhnomPenhOffset).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The checks that need no counters: the window at commit time, the line-up and the
    /// request's own shape. Limits on counters are enforced by the store's conditional updates.
    /// </summary>
    /// <param name="request">The vote.</param>
    /// <param name="window">The episode, or null when it does not exist.</param>
    /// <param name="entry">The contestant in the episode's line-up, or null when absent.</param>
    /// <param name="contestantExists">Whether any contestant has the id.</param>
    /// <param name="phoneVerified">Whether the voter's phone is verified.</param>
    /// <param name="now">Commit time.</param>
    public static VoteRefusal? Check(VoteRequest request, EpisodeWindow? window, LineupEntry? entry,
        bool contestantExists, bool phoneVerified, DateTimeOffset now)
    {
        if (!IsValidCount(request.Count)) return VoteRefusal.InvalidVoteCount;
        if (window is null) return VoteRefusal.EpisodeNotFound;
        if (!contestantExists) return VoteRefusal.ContestantNotFound;
        if (entry is null) return VoteRefusal.InvalidContestant;
        if (entry.Eliminated) return VoteRefusal.ContestantEliminated;
        if (!window.IsOpenAt(now)) return VoteRefusal.VotingClosed;
        return request.Type switch
        {
            VoteType.Free when request.Count > FreeVotesPerEpisode => VoteRefusal.FreeVoteLimitExceeded,
            VoteType.Sms when !phoneVerified => VoteRefusal.PhoneNotVerified,
            VoteType.Sms when request.Count > SmsVotesPerDay => VoteRefusal.SmsLimitExceeded,
            _ => null,
        };
    }
}
