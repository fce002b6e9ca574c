using Voting.Domain.Voting;

namespace Voting.Domain.Sms;

/// <summary>What a premium text is, before any vote rule is applied to it.</summary>
public abstract record SmsResolution
{
    private protected SmsResolution() { }

    /// <summary>The episode the text is recorded under, or null when no episode takes texts.</summary>
    public abstract EpisodeWindow? Episode { get; }
}

/// <summary>A text that asks for votes in <paramref name="Window"/>: it is judged with the app votes of its batch.</summary>
public sealed record SmsVoteResolution(EpisodeWindow Window, ContestantId Contestant, int Count) : SmsResolution
{
    public override EpisodeWindow? Episode => Window;
}

/// <summary>A text answered without judging a vote: not a vote, an unknown name or number, or no episode takes texts.</summary>
public sealed record SmsAnswerResolution(EpisodeWindow? Window, SmsAnswer Answer) : SmsResolution
{
    public override EpisodeWindow? Episode => Window;
}

/// <summary>
/// The intake of a premium text: which episode it is for (by our clock, or the carrier's receive time
/// for a text that reached us after the close; see <see cref="LateTextRule"/>) and what it asks for.
/// </summary>
public static class SmsIntakeRule
{
    /// <param name="text">The message as delivered.</param>
    /// <param name="candidates">Episodes whose windows are open or ended recently.</param>
    /// <param name="lineupOf">An episode's line-up as the parser matches it.</param>
    /// <param name="now">The batch's time.</param>
    /// <param name="carrierReceivedAt">When the carrier says it received the text.</param>
    /// <param name="arrivedAt">When our webhook received it.</param>
    /// <param name="grace">How long after the close a text received in time may reach us.</param>
    public static SmsResolution Resolve(string text, IReadOnlyList<EpisodeWindow> candidates, Func<EpisodeId, IReadOnlyList<SmsLineupEntry>> lineupOf,
        DateTimeOffset now, DateTimeOffset carrierReceivedAt, DateTimeOffset arrivedAt, TimeSpan grace)
    {
        var window = LateTextRule.EpisodeFor(candidates, now, carrierReceivedAt, arrivedAt, grace);
        var lineup = window is null ? [] : lineupOf(window.Id);
        return SmsVoteParser.Parse(text, lineup) switch
        {
            SmsVote v when window is not null => new SmsVoteResolution(window, v.Contestant, v.Count),
            SmsRefused { Reason: SmsRefusal.InvalidFormat } r => new SmsAnswerResolution(window, SmsReplies.Refused(r.Reason)),
            SmsRefused r when window is not null => new SmsAnswerResolution(window, SmsReplies.Refused(r.Reason)),
            // Well formed, but no episode takes texts: that it is closed is what the texter needs to know.
            _ => new SmsAnswerResolution(window, SmsReplies.Closed),
        };
    }

    /// <summary>
    /// The window and moment a text's vote is judged at: the batch's time, except for a text our clock
    /// finds after the close that the carrier received inside the window, judged at the carrier's time.
    /// </summary>
    public static (EpisodeWindow? Window, DateTimeOffset At, bool Late) JudgedWindow(EpisodeWindow? window, DateTimeOffset now,
        DateTimeOffset carrierReceivedAt, DateTimeOffset arrivedAt, TimeSpan grace)
    {
        if (window is null || window.IsOpenAt(now) || !LateTextRule.AdmitsLate(window, carrierReceivedAt, arrivedAt, grace))
            return (window, now, false);
        return (window with { State = EpisodeStates.Open }, carrierReceivedAt, true);
    }
}
