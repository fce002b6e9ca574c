using System.ComponentModel.DataAnnotations;

namespace Voting.Server.Show;

/// <summary>The control room's signals (section "Broadcast").</summary>
public sealed class BroadcastOptions
{
    /// <summary>HMAC-SHA256 key of X-Broadcast-Signature; without it every signal is refused.</summary>
    public string? SigningSecret { get; set; }

    /// <summary>A signature whose time is further than this from the server's is refused (replay).</summary>
    [Range(1, 3600)]
    public int ReplayWindowSeconds { get; set; } = 300;
}

/// <summary>The show clock (section "Show").</summary>
public sealed class ShowClockOptions
{
    /// <summary>How often a node looks for open windows and unfinished closes, and tries for the clock lock.</summary>
    [Range(1, 60)]
    public int ScanSeconds { get; set; } = 2;
}
