namespace Voting.Storage;

/// <summary>
/// How the nodes of one service work together. One node at a time holds the clock lock and runs
/// the episode clocks; each node tells the others when a show or an episode's results change.
/// PostgreSQL: a session advisory lock and LISTEN/NOTIFY. SQLite: one process is the whole
/// service, so it always holds the lock and has no one to tell.
/// </summary>
public interface INodeCoordination : IAsyncDisposable
{
    /// <summary>True where this process is the whole service: the clock lock is always held and notices go nowhere.</summary>
    bool IsSingleNode { get; }

    /// <summary>
    /// Takes the clock lock if it is free, or checks that this node still holds it. False when
    /// another node holds it, or when this node's hold was lost with its connection.
    /// </summary>
    ValueTask<bool> TryHoldClockLockAsync(CancellationToken ct);

    /// <summary>Gives the clock lock up, so another node can take it at its next try.</summary>
    ValueTask ReleaseClockLockAsync(CancellationToken ct);

    /// <summary>
    /// Tells the other nodes about a change made here. The store sends a show transition's
    /// notice itself, inside the transition's transaction, so it is sent on commit and never for
    /// a rollback.
    /// </summary>
    Task PublishAsync(NodeNotice notice, CancellationToken ct);

    /// <summary>
    /// Hands each notice from another node (never this node's own) to <paramref name="onNotice"/>
    /// until <paramref name="ct"/> is cancelled or the link fails, which throws. Notices sent while
    /// no one listens are lost: <paramref name="onListening"/> runs once notices are being
    /// received, where a listener that lost its link re-reads what it watches.
    /// </summary>
    Task ListenAsync(Action<NodeNotice> onNotice, Action onListening, CancellationToken ct);
}
