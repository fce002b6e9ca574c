namespace Voting.Server.Live;

/// <summary>Push channels' pacing and limits (section "Live").</summary>
public sealed class LiveOptions
{
    /// <summary>Least time between two LIVE_RESULTS of one episode.</summary>
    public int ResultsIntervalMs { get; set; } = 1000;

    /// <summary>Messages one connection may have waiting before it is dropped as too slow.</summary>
    public int MaxQueuedMessages { get; set; } = 64;

    /// <summary>A send that takes longer drops the connection.</summary>
    public int SendTimeoutSeconds { get; set; } = 10;

    /// <summary>WebSocket ping and SSE comment interval.</summary>
    public int KeepAliveSeconds { get; set; } = 15;

    /// <summary>Least time between two "results changed" notifications of one episode to other nodes (PostgreSQL).</summary>
    public int NotifyIntervalMs { get; set; } = 250;

    /// <summary>Votes listed in detailed_update.</summary>
    public int RecentVotes { get; set; } = 10;
}
