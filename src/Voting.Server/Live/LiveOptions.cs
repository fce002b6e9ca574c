using System.ComponentModel.DataAnnotations;

namespace Voting.Server.Live;

/// <summary>Push channels' pacing and limits (section "Live").</summary>
public sealed class LiveOptions
{
    /// <summary>Least time between two LIVE_RESULTS of one episode.</summary>
    [Range(10, 60_000)]
    public int ResultsIntervalMs { get; set; } = 1000;

    /// <summary>Messages one connection may have waiting before it is dropped as too slow.</summary>
    [Range(1, 10_000)]
    public int MaxQueuedMessages { get; set; } = 64;

    /// <summary>A send that takes longer drops the connection (checked once a second, so within a second after).</summary>
    [Range(1, 300)]
    public int SendTimeoutSeconds { get; set; } = 10;

    /// <summary>WebSocket ping and SSE comment interval.</summary>
    [Range(1, 3600)]
    public int KeepAliveSeconds { get; set; } = 15;

    /// <summary>Least time between two "results changed" notifications of one episode to other nodes (PostgreSQL).</summary>
    [Range(0, 60_000)]
    public int NotifyIntervalMs { get; set; } = 250;

    /// <summary>Votes listed in detailed_update.</summary>
    [Range(0, 100)]
    public int RecentVotes { get; set; } = 10;
}
