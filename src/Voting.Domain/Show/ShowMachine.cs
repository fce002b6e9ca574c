namespace Voting.Domain.Show;

/// <summary>An episode's show as stored: its state, the performer, and the voting window.</summary>
/// <param name="VotingEnd">While open, when the window ends; once closed, when it actually closed.</param>
public sealed record ShowStatus(
    ShowState State,
    ContestantId? Performer = null,
    string? Song = null,
    DateTimeOffset? VotingStart = null,
    DateTimeOffset? VotingEnd = null,
    CloseReason? ClosedReason = null,
    string? ResultsDigest = null,
    long? ResultsVotes = null)
{
    /// <summary>An episode no one has touched.</summary>
    public static readonly ShowStatus Initial = new(ShowState.Idle);
}

/// <summary>Something that moves a show on: a broadcast signal, an operator, the server's clock.</summary>
public abstract record ShowCommand
{
    /// <summary>The event's name on the wire (SHOW_START, ...).</summary>
    public abstract string Name { get; }
}

/// <summary>The broadcast begins.</summary>
public sealed record StartShow : ShowCommand
{
    /// <inheritdoc/>
    public override string Name => "SHOW_START";
}

/// <summary>A contestant of the line-up starts to perform (ending any performance before).</summary>
public sealed record StartPerformance(ContestantId Contestant, string? Song) : ShowCommand
{
    /// <inheritdoc/>
    public override string Name => "PERFORMANCE_START";
}

/// <summary>The current performance ends.</summary>
public sealed record EndPerformance : ShowCommand
{
    /// <inheritdoc/>
    public override string Name => "PERFORMANCE_END";
}

/// <summary>Voting opens now for <paramref name="Duration"/>.</summary>
public sealed record OpenVoting(TimeSpan Duration) : ShowCommand
{
    /// <inheritdoc/>
    public override string Name => "VOTING_OPEN";
}

/// <summary>Voting closes now (a timer close: at the window's end, which must have come).</summary>
public sealed record CloseVoting(CloseReason Reason) : ShowCommand
{
    /// <inheritdoc/>
    public override string Name => "VOTING_CLOSE";
}

/// <summary>The final results are frozen with the audit digest of the episode's ledger.</summary>
public sealed record AnnounceResults(string Digest, long Votes) : ShowCommand
{
    /// <inheritdoc/>
    public override string Name => "RESULTS_READY";
}

/// <summary>The broadcast ends.</summary>
public sealed record EndShow : ShowCommand
{
    /// <inheritdoc/>
    public override string Name => "SHOW_END";
}

/// <summary>Why a command changed nothing.</summary>
public enum ShowRefusal
{
    /// <summary>The command is not allowed in the current state.</summary>
    InvalidTransition,
    /// <summary>Voting is open already.</summary>
    AlreadyOpen,
    /// <summary>A close of a window that is closed already.</summary>
    AlreadyClosed,
    /// <summary>A timer close before the window's end.</summary>
    NotDue,
}

/// <summary>The outcome of a command: the next status, or why there is none.</summary>
public sealed record ShowStep(ShowStatus? Next, ShowRefusal? Refusal)
{
    internal static ShowStep To(ShowStatus next) => new(next, null);
    internal static ShowStep No(ShowRefusal refusal) => new(null, refusal);
}

/// <summary>
/// The show's state machine:
/// IDLE → SHOW_STARTED → (PERFORMANCE)* → VOTING_OPEN → VOTING_CLOSED → RESULTS_READY → SHOW_ENDED,
/// where voting may also open straight from IDLE (an online-only round). One window per episode:
/// once closed it never reopens.
/// </summary>
public static class ShowMachine
{
    /// <summary>
    /// Applies <paramref name="command"/> at <paramref name="now"/>. A window closes at the
    /// earlier of now and its end (a late close keeps the end the voters were promised); a
    /// timer close is refused as <see cref="ShowRefusal.NotDue"/> before the end.
    /// </summary>
    public static ShowStep Apply(ShowStatus current, ShowCommand command, DateTimeOffset now)
    {
        var state = current.State;
        return command switch
        {
            StartShow when state == ShowState.Idle => ShowStep.To(current with { State = ShowState.ShowStarted }),
            StartPerformance p when state is ShowState.ShowStarted or ShowState.Performance =>
                ShowStep.To(current with { State = ShowState.Performance, Performer = p.Contestant, Song = p.Song }),
            EndPerformance when state == ShowState.Performance =>
                ShowStep.To(current with { State = ShowState.ShowStarted, Performer = null, Song = null }),
            OpenVoting o => Open(current, o, now),
            CloseVoting c => Close(current, c, now),
            AnnounceResults r when state == ShowState.VotingClosed =>
                ShowStep.To(current with { State = ShowState.ResultsReady, ResultsDigest = r.Digest, ResultsVotes = r.Votes }),
            EndShow when state is ShowState.ShowStarted or ShowState.Performance or ShowState.ResultsReady =>
                ShowStep.To(current with { State = ShowState.ShowEnded, Performer = null, Song = null }),
            _ => ShowStep.No(ShowRefusal.InvalidTransition),
        };
    }

    private static ShowStep Open(ShowStatus current, OpenVoting open, DateTimeOffset now)
    {
        if (open.Duration <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(open), "the window must last");
        return current.State switch
        {
            ShowState.Idle or ShowState.ShowStarted or ShowState.Performance => ShowStep.To(current with
            {
                State = ShowState.VotingOpen,
                Performer = null,
                Song = null,
                VotingStart = now,
                VotingEnd = now + open.Duration,
            }),
            ShowState.VotingOpen => ShowStep.No(ShowRefusal.AlreadyOpen),
            _ => ShowStep.No(ShowRefusal.InvalidTransition),
        };
    }

    private static ShowStep Close(ShowStatus current, CloseVoting close, DateTimeOffset now)
    {
        if (current.State != ShowState.VotingOpen)
        {
            return current.VotingStart is null || current.State == ShowState.Idle
                ? ShowStep.No(ShowRefusal.InvalidTransition)
                : ShowStep.No(ShowRefusal.AlreadyClosed);
        }
        var end = current.VotingEnd ?? now;
        if (close.Reason == CloseReason.Timer && now < end) return ShowStep.No(ShowRefusal.NotDue);
        return ShowStep.To(current with { State = ShowState.VotingClosed, VotingEnd = now < end ? now : end, ClosedReason = close.Reason });
    }
}
