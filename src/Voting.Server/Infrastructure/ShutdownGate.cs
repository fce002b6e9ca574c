namespace Voting.Server.Infrastructure;

/// <summary>Closed when the host begins to stop: new votes are refused with 503, queued ones still commit.</summary>
public sealed class ShutdownGate
{
    private volatile bool _closed;

    public bool IsClosed => _closed;

    public void Close() => _closed = true;
}
