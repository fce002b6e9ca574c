using System.Data.Common;

namespace Voting.Storage.Sql;

public abstract partial class SqlVotingStore
{
    public Task<long> AppendAuditAsync(AuditEntry entry, CancellationToken ct) =>
        InTransactionAsync((c, tx) => InsertAuditAsync(c, tx, entry, ct), ct);

    /// <summary>
    /// Writes an audit row inside <paramref name="tx"/>: a store method that changes something on an
    /// operator's behalf calls it so the change and its record commit together or not at all.
    /// </summary>
    protected async Task<long> InsertAuditAsync(DbConnection c, DbTransaction tx, AuditEntry entry, CancellationToken ct) =>
        SqlValue.Long(await ScalarAsync(c, tx,
            "INSERT INTO audit_log (actor, action, target, at, request_id, details) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            ct, entry.Actor, entry.Action, entry.Target, NowMs, entry.RequestId, entry.Details));

    public Task<IReadOnlyList<AuditRecord>> ListAuditAsync(int limit, long? beforeId, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<AuditRecord>>(async c => await QueryAsync(c, null,
            "SELECT id, actor, action, target, at, request_id, details FROM audit_log WHERE id < $1 ORDER BY id DESC LIMIT $2",
            r => new AuditRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.T(4)!.Value, r.GetString(5), r.S(6)),
            ct, beforeId ?? long.MaxValue, (long)limit), ct);
}
