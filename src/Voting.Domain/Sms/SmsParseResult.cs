namespace Voting.Domain.Sms;

/// <summary>One contestant of the open episode's line-up, as the SMS parser matches it.</summary>
/// <param name="BallotNumber">The contestant's number in this episode (performance order).</param>
/// <param name="Contestant">The contestant the vote goes to.</param>
/// <param name="Name">The Latin-script name, e.g. <c>Sophea Chan</c>.</param>
/// <param name="KhmerName">The Khmer-script name, e.g. <c>ចាន់ សុភា</c>, when known.</param>
public sealed record SmsLineupEntry(int BallotNumber, ContestantId Contestant, string Name, string? KhmerName);

/// <summary>Why a text message cannot become a vote.</summary>
public enum SmsRefusal
{
    /// <summary>Not one of the accepted forms; the texter gets <see cref="SmsVoteParser.InvalidFormatReply"/>.</summary>
    InvalidFormat,
    /// <summary>A well-formed ballot number or name that matches no one in the line-up.</summary>
    UnknownContestant,
    /// <summary>A name fragment that matches more than one contestant.</summary>
    AmbiguousName,
}

/// <summary>What a text message asks for: an <see cref="SmsVote"/> or an <see cref="SmsRefused"/>.</summary>
public abstract record SmsParseResult
{
    // Closed hierarchy: callers can switch over the two outcomes below and nothing else.
    private protected SmsParseResult() { }
}

/// <summary>A text that is a vote.</summary>
/// <param name="Contestant">Who the votes go to.</param>
/// <param name="BallotNumber">The contestant's ballot number in the episode.</param>
/// <param name="Count">Votes asked for, 1 to <see cref="SmsVoteParser.MaxVotesPerSms"/>.</param>
public sealed record SmsVote(ContestantId Contestant, int BallotNumber, int Count) : SmsParseResult;

/// <summary>A text that is not a vote.</summary>
/// <param name="Reason">Why not.</param>
public sealed record SmsRefused(SmsRefusal Reason) : SmsParseResult;
