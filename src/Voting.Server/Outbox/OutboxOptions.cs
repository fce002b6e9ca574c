using System.ComponentModel.DataAnnotations;

namespace Voting.Server.Outbox;

/// <summary>The outbox dispatcher (configuration section <c>Outbox</c>).</summary>
public sealed class OutboxOptions
{
    /// <summary>How often an idle dispatcher looks for due rows (it is also woken when a text is answered).</summary>
    [Range(10, 60_000)]
    public int PollMilliseconds { get; set; } = 500;

    /// <summary>
    /// Rows leased at a time. Each lease and each batch's completion is a write transaction (on SQLite
    /// a turn of the lock the vote writer needs): with 100, the dispatcher fell behind texts arriving
    /// at 2,800/s on SQLite; with 500 it kept up (BENCHMARKS.md, SMS).
    /// </summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 500;

    /// <summary>Requests to carriers in flight at once, per worker.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 16;

    /// <summary>
    /// Dispatch loops per node, each leasing, sending and completing its own batch, so one batch's
    /// lease and completion transactions overlap another's requests (rows are leased, so two
    /// workers never send one row, as two nodes never do).
    /// </summary>
    [Range(1, 64)]
    public int Workers { get; set; } = 4;

    /// <summary>Attempts before a row becomes a dead letter.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failed attempt; doubled after each further failure.</summary>
    [Range(1, 3_600_000)]
    public int FirstRetryMilliseconds { get; set; } = 1000;

    /// <summary>Longest wait between attempts.</summary>
    [Range(1, 86_400)]
    public int MaxRetrySeconds { get; set; } = 300;

    /// <summary>How long a leased row is left to its dispatcher; after a crash it is sent again once this runs out.</summary>
    [Range(1, 3600)]
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>Timeout of one request to a carrier; shorter than the lease, so a row is never sent twice at once.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 10;

    public TimeSpan Poll => TimeSpan.FromMilliseconds(PollMilliseconds);
    public TimeSpan Lease => TimeSpan.FromSeconds(LeaseSeconds);
    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>
    /// How long after leasing a batch its requests may still be started: the lease less one request's
    /// timeout and the time left to record the answers (a timeout's worth, at most half of what the
    /// timeout leaves), so that no row's lease runs out while its answer is still being recorded and
    /// another dispatcher sends it again. A row not started by then is leased again later.
    /// </summary>
    public TimeSpan SendWithin => Lease - Timeout - TimeSpan.FromTicks(Math.Min(Timeout.Ticks, (Lease - Timeout).Ticks / 2));
    public TimeSpan FirstRetry => TimeSpan.FromMilliseconds(FirstRetryMilliseconds);
    public TimeSpan MaxRetry => TimeSpan.FromSeconds(MaxRetrySeconds);
}
