namespace Voting.Storage;

/// <summary>One operator action as the audit log keeps it.</summary>
/// <param name="Actor">The operator's name (the name of the key the request carried).</param>
/// <param name="Action">A stable dotted name, e.g. <c>episode.create</c>, <c>votes.void</c>.</param>
/// <param name="Target">What it acted on, e.g. <c>episode:12</c>.</param>
/// <param name="RequestId">The HTTP request's trace identifier, to find it in the server's logs.</param>
/// <param name="Details">A small JSON object (amounts, reasons, ids), or null.</param>
public sealed record AuditEntry(string Actor, string Action, string Target, string RequestId, string? Details);

/// <summary>A stored audit entry.</summary>
public sealed record AuditRecord(long Id, string Actor, string Action, string Target, DateTimeOffset At, string RequestId, string? Details);

/// <summary>The operator audit log: append-only, one row per operator action that changed something.</summary>
public interface IAuditStore
{
    /// <summary>Appends <paramref name="entry"/>, stamped with the store's clock, in a transaction of its own; returns its id.</summary>
    Task<long> AppendAuditAsync(AuditEntry entry, CancellationToken ct);

    /// <summary>Up to <paramref name="limit"/> entries, newest first, those with an id below <paramref name="beforeId"/> when given.</summary>
    Task<IReadOnlyList<AuditRecord>> ListAuditAsync(int limit, long? beforeId, CancellationToken ct);
}
