using Voting.Domain;
using Voting.Domain.Export;
using Voting.Domain.Show;

namespace Voting.Storage.Sql;

/// <summary>
/// The certified export: one snapshot transaction, rows read forward from the data reader and handed on one
/// at a time, in the digest's order (the audit's statements, with the columns the export adds).
/// </summary>
public abstract partial class SqlVotingStore : IExportStore
{
    public async Task<bool> ExportEpisodeAsync(EpisodeId episode, IExportSink sink, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = await BeginSnapshotAsync(c, ct);
        var e = episode.Value;
        if (await EpisodeAsync(c, tx, "WHERE id = $1", ct, e) is not { } record) return false;
        var show = await ShowAsync(c, tx, e, ct);
        var lineup = await LineupAsync(c, tx, e, ct);
        var tallies = (await QueryAsync(c, tx,
            "SELECT contestant_id, CAST(SUM(votes) AS BIGINT) FROM tallies WHERE episode_id = $1 GROUP BY contestant_id",
            r => (Contestant: new ContestantId(r.GetInt64(0)), Votes: r.L(1)), ct, e)).ToDictionary(x => x.Contestant, x => x.Votes);
        await sink.HeaderAsync(new ExportSnapshot(record, lineup, show?.Status ?? ShowStatus.Initial, tallies), ct);

        await using (var cmd = Command(c, tx,
            "SELECT id, voter_id, episode_id, contestant_id, vote_type, vote_count, created_at, transaction_id FROM votes WHERE episode_id = $1 ORDER BY id", [e]))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var at = r.L(6);
                var transaction = r.S(7);
                // Only a premium text's vote carries a transaction id: its carrier and message id.
                await sink.VoteAsync(new ExportVote(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetString(4), r.L(5), at,
                    SqlValue.FromMs(at), transaction is null ? "app" : "sms", transaction), ct);
            }
        }
        await using (var cmd = Command(c, tx,
            """
            SELECT vv.vote_id, vv.void_id, vv.contestant_id, vv.vote_count, vv.refunded, vv.created_at, v.reason
            FROM vote_voids vv JOIN voids v ON v.id = vv.void_id WHERE vv.episode_id = $1 ORDER BY vv.vote_id
            """, [e]))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var at = r.L(5);
                await sink.VoidAsync(new ExportVoid(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.L(3), r.L(4) != 0, at, SqlValue.FromMs(at),
                    r.GetString(6)), ct);
            }
        }
        await tx.CommitAsync(ct);
        return true;
    }
}
