namespace Voting.Storage.Sql;

/// <summary>
/// One write transaction of the vote writer. Statements handed over together run in order,
/// as one round trip where the provider can (PostgreSQL batches); each returns its own rows.
/// </summary>
public abstract class BatchSession : IAsyncDisposable
{
    public abstract Task<StatementResult[]> RunAsync(IReadOnlyList<Statement> statements, CancellationToken ct);

    public abstract Task CommitAsync(CancellationToken ct);

    public abstract ValueTask DisposeAsync();
}
