namespace Voting.Domain.Show;

/// <summary>Where an episode's live show stands.</summary>
public enum ShowState
{
    /// <summary>Nothing has happened yet.</summary>
    Idle,
    /// <summary>The broadcast has begun; no one is performing.</summary>
    ShowStarted,
    /// <summary>A contestant is performing.</summary>
    Performance,
    /// <summary>Votes are taken until the window's end.</summary>
    VotingOpen,
    /// <summary>Voting is over; the final results are being frozen.</summary>
    VotingClosed,
    /// <summary>The final results and their audit digest are frozen and announced.</summary>
    ResultsReady,
    /// <summary>The broadcast is over.</summary>
    ShowEnded,
}

/// <summary>What closed a voting window.</summary>
public enum CloseReason
{
    /// <summary>The server's clock reached the window's end.</summary>
    Timer,
    /// <summary>The control room's VOTING_CLOSE signal.</summary>
    Signal,
    /// <summary>An operator's close.</summary>
    Operator,
}

/// <summary>Names on the wire and in the store.</summary>
public static class ShowWire
{
    private static readonly string[] States =
        ["IDLE", "SHOW_STARTED", "PERFORMANCE", "VOTING_OPEN", "VOTING_CLOSED", "RESULTS_READY", "SHOW_ENDED"];

    private static readonly string[] Reasons = ["timer", "signal", "operator"];

    /// <summary>IDLE, SHOW_STARTED, PERFORMANCE, VOTING_OPEN, VOTING_CLOSED, RESULTS_READY, SHOW_ENDED.</summary>
    public static string Name(ShowState state) => States[(int)state];

    /// <summary>timer, signal, operator.</summary>
    public static string Name(CloseReason reason) => Reasons[(int)reason];

    /// <summary>Parses a state name as <see cref="Name(ShowState)"/> writes it.</summary>
    public static bool TryParseState(string? text, out ShowState state)
    {
        var i = Array.IndexOf(States, text);
        state = i < 0 ? default : (ShowState)i;
        return i >= 0;
    }

    /// <summary>Parses a close reason as <see cref="Name(CloseReason)"/> writes it.</summary>
    public static bool TryParseReason(string? text, out CloseReason reason)
    {
        var i = Array.IndexOf(Reasons, text);
        reason = i < 0 ? default : (CloseReason)i;
        return i >= 0;
    }
}
