using System.Globalization;
using Voting.Domain.Voting;

namespace Voting.Domain.Sms;

/// <summary>What a text got (an outcome code) and the reply the texter is sent.</summary>
/// <param name="Code"><see cref="SmsReplies.Counted"/> or the refusal's error code, e.g. <c>VOTING_CLOSED</c>.</param>
/// <param name="Reply">The SMS sent back to the texter.</param>
public sealed record SmsAnswer(string Code, string Reply)
{
    /// <summary>Whether the text was counted as a vote.</summary>
    public bool Counted => Code == SmsReplies.Counted;
}

/// <summary>The replies to premium texts. Each names what happened and, when refused, what to do.</summary>
public static class SmsReplies
{
    /// <summary>The outcome code of a text that became a vote.</summary>
    public const string Counted = "counted";

    /// <summary>Outcome code of a text in no accepted form.</summary>
    public const string InvalidFormat = "INVALID_FORMAT";

    /// <summary>Outcome code of a name matching several contestants.</summary>
    public const string AmbiguousName = "AMBIGUOUS_NAME";

    /// <summary>The reply to a counted text.</summary>
    /// <param name="contestant">The contestant's name.</param>
    /// <param name="count">Votes counted.</param>
    /// <param name="remainingToday">SMS votes the texter has left today.</param>
    public static SmsAnswer Vote(string contestant, int count, long remainingToday) => new(Counted, string.Create(CultureInfo.InvariantCulture,
        $"Thanks! Your {count} vote(s) for {contestant} have been counted. You can send {remainingToday} more SMS vote(s) today."));

    /// <summary>The reply to a text the parser refused.</summary>
    public static SmsAnswer Refused(SmsRefusal refusal) => refusal switch
    {
        SmsRefusal.InvalidFormat => new(InvalidFormat, SmsVoteParser.InvalidFormatReply),
        SmsRefusal.AmbiguousName => new(AmbiguousName, "More than one contestant matches that name. Send VOTE <number> to 1255"),
        _ => NotFound,
    };

    /// <summary>The reply to a vote the rules refused; <paramref name="remaining"/> is what the limit leaves.</summary>
    public static SmsAnswer Refused(VoteRefusal refusal, long remaining) => refusal switch
    {
        VoteRefusal.VotingClosed or VoteRefusal.EpisodeNotFound => Closed,
        VoteRefusal.ContestantNotFound or VoteRefusal.InvalidContestant => NotFound,
        VoteRefusal.ContestantEliminated => new(refusal.Code(),
            "Sorry, that contestant has been eliminated. Your vote was not counted and you have not been charged."),
        VoteRefusal.SmsLimitExceeded => new(refusal.Code(), string.Create(CultureInfo.InvariantCulture,
            $"Sorry, you can send at most {VoteRules.SmsVotesPerDay} SMS votes a day and have {remaining} left today. Your vote was not counted and you have not been charged.")),
        _ => new(refusal.Code(), "Sorry, your vote could not be counted. You have not been charged."),
    };

    /// <summary>
    /// What a number is told once, after the reply to the text that made it a voter: how SMS voting
    /// works and that the app has free votes. One segment of GSM text (at most 160 characters).
    /// </summary>
    public static readonly string Welcome = string.Create(CultureInfo.InvariantCulture,
        $"Welcome to XFactor voting! Text VOTE <number> to 1255, up to {VoteRules.SmsVotesPerDay} SMS votes a day. Get the XFactor app for free votes.");

    /// <summary>
    /// The reply to a number's first text, the welcome after the answer: one message (a concatenated
    /// SMS), so the texter never reads the welcome after a later reply, and one request to the carrier.
    /// </summary>
    public static string Welcoming(string reply) => $"{reply} {Welcome}";

    /// <summary>The reply when no episode's voting takes the text.</summary>
    public static readonly SmsAnswer Closed = new(VoteRefusal.VotingClosed.Code(),
        "Sorry, voting is closed. Your vote was not counted and you have not been charged.");

    /// <summary>The reply to a ballot number or name no contestant of the episode has.</summary>
    public static readonly SmsAnswer NotFound = new(VoteRefusal.ContestantNotFound.Code(),
        "Sorry, no contestant has that number or name in this episode. Send VOTE <number> to 1255");
}
