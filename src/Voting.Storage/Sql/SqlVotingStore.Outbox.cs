using System.Data.Common;

namespace Voting.Storage.Sql;

public abstract partial class SqlVotingStore
{
    private const string OutboxEntryColumns =
        "id, kind, recipient, payload, idempotency_key, status, attempts, last_error, created_at, next_attempt_at, delivered_at";

    public async Task<IReadOnlyList<OutboxItem>> LeaseOutboxAsync(IReadOnlyList<string> kinds, int limit, TimeSpan lease, CancellationToken ct)
    {
        if (kinds.Count == 0 || limit < 1) return [];
        // $1.. are the kinds; the statements put their own parameters after them.
        var kindList = string.Join(", ", kinds.Select((_, i) => $"${i + 1}"));
        var n = kinds.Count;
        // Most polls find nothing: look first without a write transaction, so an idle dispatcher
        // never takes SQLite's write lock from the vote writer.
        var due = await ReadAsync(async c => await ScalarAsync(c, null,
            $"SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ${n + 1} AND kind IN ({kindList}) LIMIT 1",
            ct, [.. kinds, NowMs]), ct);
        if (due is null) return [];
        return await InTransactionAsync<IReadOnlyList<OutboxItem>>(async (c, tx) =>
        {
            var now = NowMs;
            // The outer conditions are checked again on each row as it is locked, so of two
            // dispatchers (on any nodes) that pick the same rows only the first leases them; on
            // PostgreSQL the pick skips rows another dispatcher is leasing, so each takes its own
            // (picked once, MATERIALIZED, so the limit holds). The longest due first, in the order
            // of the index outbox_pending (status, next_attempt_at, and the id SQLite keeps in every
            // index; PostgreSQL sorts the few rows of one instant by id): the pick reads its rows off
            // the index however many are due, where ORDER BY id sorted every due row on each lease
            // (a backlog of 70,000 rows made each lease a sort of 70,000 while the votes waited).
            var rows = await QueryAsync(c, tx,
                $"""
                WITH picked AS MATERIALIZED (
                    SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ${n + 2} AND kind IN ({kindList})
                    ORDER BY next_attempt_at, id LIMIT ${n + 3}{SkipLocked})
                UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ${n + 1}
                WHERE status = 'pending' AND next_attempt_at <= ${n + 2} AND id IN (SELECT id FROM picked)
                RETURNING id, kind, recipient, payload, idempotency_key, attempts
                """,
                r => new OutboxItem(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), (int)r.L(5)),
                ct, [.. kinds, now + (long)lease.TotalMilliseconds, now, (long)limit]);
            return rows.OrderBy(r => r.Id).ToList();
        }, ct);
    }

    public Task CompleteOutboxAsync(IReadOnlyList<OutboxCompletion> completions, CancellationToken ct) =>
        completions.Count == 0 ? Task.CompletedTask : InTransactionAsync(async (c, tx) =>
        {
            var now = NowMs;
            // Deliveries and charge answers are most of it, and alike: a few set-wise statements per
            // batch keep the dispatcher off the write lock the vote writer needs.
            foreach (var ids in completions.Where(x => x.Outcome == OutboxOutcome.Delivered).Select(x => x.Id).Order().Chunk(InListChunk))
            {
                await ExecAsync(c, tx, $"UPDATE outbox SET status = 'delivered', delivered_at = $1, last_error = NULL WHERE status = 'pending' AND id IN ({Positions(2, ids.Length)})",
                    ct, [now, .. ids.Select(id => (object?)id)]);
            }
            foreach (var x in completions.Where(x => x.Outcome != OutboxOutcome.Delivered).OrderBy(x => x.Id))
            {
                if (x.Outcome == OutboxOutcome.Unsent)
                {
                    // Still under this dispatcher's lease only while its attempts are as leased (a later lease adds one).
                    await ExecAsync(c, tx, "UPDATE outbox SET attempts = attempts - 1, next_attempt_at = $2 WHERE id = $1 AND status = 'pending' AND attempts = $3",
                        ct, x.Id, now, (long)x.LeasedAttempts);
                }
                else if (x.Outcome == OutboxOutcome.Retry)
                {
                    await ExecAsync(c, tx, "UPDATE outbox SET next_attempt_at = $2, last_error = $3 WHERE id = $1 AND status = 'pending'",
                        ct, x.Id, x.NextAttemptAt?.ToUnixTimeMilliseconds() ?? now, Truncate(x.Error));
                }
                else
                {
                    await ExecAsync(c, tx, "UPDATE outbox SET status = 'dead', last_error = $2 WHERE id = $1 AND status = 'pending'", ct, x.Id, Truncate(x.Error));
                }
            }
            foreach (var answer in completions.Where(x => x.ChargeVoteId is not null && x.Charge is not null).GroupBy(x => x.Charge!.Value))
            {
                // A verdict settles a charge that was pending or unknown; an unreadable answer only marks a pending one.
                var (status, from) = answer.Key switch
                {
                    ChargeStatus.Confirmed => ("confirmed", "('pending', 'unknown')"),
                    ChargeStatus.Failed => ("failed", "('pending', 'unknown')"),
                    _ => ("unknown", "('pending')"),
                };
                foreach (var votes in answer.Select(x => x.ChargeVoteId!.Value).Order().Chunk(InListChunk))
                {
                    var settled = await QueryAsync(c, tx,
                        $"UPDATE carrier_charges SET status = $1 WHERE status IN {from} AND vote_id IN ({Positions(2, votes.Length)}) RETURNING vote_id, amount_cents",
                        r => (Vote: r.GetInt64(0), Cents: r.L(1)), ct, [status, .. votes.Select(v => (object?)v)]);
                    if (answer.Key == ChargeStatus.Confirmed && settled.Count > 0) await AddSmsRevenueAsync(c, tx, settled, ct);
                }
                // A vote voided with a refund while its charge was pending: now that it is billed, give it back.
                if (answer.Key == ChargeStatus.Confirmed) await QueueOwedRefundsAsync(c, tx, [.. answer.Select(x => x.ChargeVoteId!.Value)], now, ct);
            }
            return 0;
        }, ct);

    private const int InListChunk = 500;

    /// <summary>Charges newly confirmed, added to their episodes' SMS revenue (the analytics counter) in the transaction that confirms them.</summary>
    private async Task AddSmsRevenueAsync(DbConnection c, DbTransaction tx, IReadOnlyList<(long Vote, long Cents)> confirmed, CancellationToken ct)
    {
        var episodes = (await QueryAsync(c, tx, $"SELECT id, episode_id FROM votes WHERE id IN ({Positions(1, confirmed.Count)})",
            r => (Vote: r.GetInt64(0), Episode: r.GetInt64(1)), ct, [.. confirmed.Select(x => (object?)x.Vote)])).ToDictionary(x => x.Vote, x => x.Episode);
        foreach (var g in confirmed.GroupBy(x => episodes[x.Vote]).OrderBy(g => g.Key))
        {
            await ExecAsync(c, tx,
                """
                INSERT INTO episode_sms_revenue (episode_id, charges, cents) VALUES ($1, $2, $3)
                ON CONFLICT (episode_id) DO UPDATE SET charges = episode_sms_revenue.charges + excluded.charges, cents = episode_sms_revenue.cents + excluded.cents
                """, ct, g.Key, (long)g.Count(), g.Sum(x => x.Cents));
        }
    }

    /// <summary>"$first, $first+1, ..." for an IN list of <paramref name="count"/> parameters.</summary>
    private static string Positions(int first, int count) =>
        string.Join(", ", Enumerable.Range(first, count).Select(i => "$" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public Task<IReadOnlyList<OutboxEntry>> ListOutboxAsync(string status, string? kind, int limit, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<OutboxEntry>>(async c => await QueryAsync(c, null,
            $"SELECT {OutboxEntryColumns} FROM outbox WHERE status = $1 AND ($2 IS NULL OR kind = $2) ORDER BY id DESC LIMIT $3",
            r => new OutboxEntry(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), (int)r.L(6),
                r.S(7), r.T(8)!.Value, r.T(9)!.Value, r.T(10)),
            ct, status, SqlArg.Text(kind), (long)limit), ct);

    public Task<OutboxRetryStatus> RetryOutboxAsync(long id, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            if (await ExecAsync(c, tx, "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $2 WHERE id = $1 AND status = 'dead'",
                    ct, id, NowMs) == 1)
                return OutboxRetryStatus.Ok;
            return await ScalarAsync(c, tx, "SELECT id FROM outbox WHERE id = $1", ct, id) is null ? OutboxRetryStatus.NotFound : OutboxRetryStatus.NotDead;
        }, ct);

    private static string? Truncate(string? error) => error is { Length: > 500 } e ? e[..500] : error;
}
