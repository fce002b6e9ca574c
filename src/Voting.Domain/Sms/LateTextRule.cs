using Voting.Domain.Voting;

namespace Voting.Domain.Sms;

/// <summary>
/// When a text counts although it reaches the vote writer after the close. Our clock is judged
/// first, exactly as for app votes; only the carrier's receive time can then admit the text, and
/// only if the carrier received it inside the window and it reached us soon enough after the
/// close. The carrier's time never refuses a text our clock admits, and our clock alone never
/// admits a text after the close.
/// </summary>
public static class LateTextRule
{
    /// <summary>How long after the close a text the carrier received in time may still reach us.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromSeconds(120);

    /// <summary>Whether <paramref name="window"/> takes a text committed at <paramref name="commitTime"/>.</summary>
    public static bool Admits(EpisodeWindow window, DateTimeOffset commitTime, DateTimeOffset carrierReceivedAt,
        DateTimeOffset arrivedAt, TimeSpan grace) =>
        window.IsOpenAt(commitTime) || AdmitsLate(window, carrierReceivedAt, arrivedAt, grace);

    /// <summary>
    /// Whether the carrier's receive time admits a text our clock finds after the close: the window
    /// was opened, the carrier received the text inside it (judged against the stored end, whatever
    /// closed the window), and the text reached us no more than <paramref name="grace"/> after that end.
    /// </summary>
    public static bool AdmitsLate(EpisodeWindow window, DateTimeOffset carrierReceivedAt, DateTimeOffset arrivedAt, TimeSpan grace) =>
        window.State != EpisodeStates.Idle && window.Start is { } start && window.End is { } end
        && carrierReceivedAt >= start && carrierReceivedAt < end && arrivedAt <= end + grace;

    /// <summary>
    /// The episode a text is for, among the episodes whose windows are open or ended recently: the one
    /// open at <paramref name="commitTime"/>; else one the carrier's time admits the text to (the
    /// latest to end); else the latest episode still marked open or the latest to end, so the refusal
    /// is recorded where an operator looks for it; null when there is none.
    /// </summary>
    public static EpisodeWindow? EpisodeFor(IReadOnlyList<EpisodeWindow> candidates, DateTimeOffset commitTime,
        DateTimeOffset carrierReceivedAt, DateTimeOffset arrivedAt, TimeSpan grace) =>
        candidates.Where(w => w.IsOpenAt(commitTime)).MaxBy(w => w.Id.Value)
        ?? candidates.Where(w => AdmitsLate(w, carrierReceivedAt, arrivedAt, grace)).MaxBy(w => w.End)
        ?? candidates.Where(w => w.State == EpisodeStates.Open).MaxBy(w => w.Id.Value)
        ?? candidates.Where(w => w.State != EpisodeStates.Idle && w.End is not null).MaxBy(w => w.End);
}
