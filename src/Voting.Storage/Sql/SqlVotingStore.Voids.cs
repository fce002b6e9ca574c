using System.Data.Common;
using System.Globalization;
using Voting.Domain.Ledger;
using Voting.Domain.Voting;
using Voting.Storage.Ledger;

namespace Voting.Storage.Sql;

/// <summary>
/// Voids as compensating rows. One transaction: the episode is checked (and, on PostgreSQL, the show
/// lock taken, so results cannot freeze halfway), the matched vote rows are read, their voters locked
/// in id order (the vote batch's order, so the two never deadlock), one void row per vote row inserted
/// where none exists yet, and every projection moved back by the domain's deltas of a void.
/// </summary>
public abstract partial class SqlVotingStore : IVoidStore
{
    private sealed record Matched(CountedVote Vote, long Id, bool Voided);

    public async Task<VoidResult> VoidVotesAsync(VoidRequest request, CancellationToken ct)
    {
        try
        {
            return await InTransactionAsync((c, tx) => VoidAsync(c, tx, request, ct), ct);
        }
        catch (Exception e) when (request.IdempotencyKey is not null && IsUniqueViolation(e))
        {
            // A concurrent void with the same key committed first: answer as it did.
            return await ReadAsync(async c => await PriorVoidAsync(c, null, request.IdempotencyKey, RequestHash(request), ct), ct)
                ?? throw new InvalidOperationException("a void key was taken but its void cannot be read", e);
        }
    }

    private async Task<VoidResult> VoidAsync(DbConnection c, DbTransaction tx, VoidRequest r, CancellationToken ct)
    {
        if (r.IdempotencyKey is { } key && await PriorVoidAsync(c, tx, key, RequestHash(r), ct) is { } prior) return prior;
        await LockVotingWindowsAsync(c, tx, ct);
        var e = r.Episode.Value;
        var show = await QueryAsync(c, tx,
            "SELECT e.id, s.results_digest FROM episodes e LEFT JOIN episode_shows s ON s.episode_id = e.id WHERE e.id = $1",
            x => x.S(1), ct, e);
        if (show.Count == 0) return new VoidResult(VoidStatus.EpisodeNotFound);
        if (show[0] is not null) return new VoidResult(VoidStatus.ResultsFrozen);

        var matched = await MatchAsync(c, tx, r, ct);
        if (r.Selector.Kind == VoidSelectorKind.VoteIds)
        {
            var foreign = r.Selector.VoteIds.Except(matched.Select(m => m.Id)).Distinct().Order().ToList();
            if (foreign.Count > 0) return new VoidResult(VoidStatus.VotesOfAnotherEpisode, ForeignVoteIds: foreign);
        }
        var now = NowMs;
        await LockVotersAsync(c, tx, matched.Where(m => !m.Voided).Select(m => m.Vote.Voter).Distinct().Order().ToArray(), ct);
        var voidId = SqlValue.Long(await ScalarAsync(c, tx,
            """
            INSERT INTO voids (episode_id, selector, reason, refund, actor, idempotency_key, request_hash, rows_voided, votes_voided, already_voided, created_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, 0, $8) RETURNING id
            """, ct, e, r.Selector.Describe(), r.Reason, r.Refund, r.Actor, SqlArg.Text(r.IdempotencyKey), RequestHash(r), now));

        var voided = new List<Matched>();
        foreach (var m in matched.Where(m => !m.Voided))
        {
            // The key on vote_id decides a race with another void of the same row: only one inserts.
            var v = m.Vote;
            var inserted = await QueryAsync(c, tx,
                """
                INSERT INTO vote_voids (vote_id, void_id, episode_id, voter_id, contestant_id, vote_type, vote_count, refunded, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (vote_id) DO NOTHING RETURNING vote_id
                """, x => x.GetInt64(0), ct, m.Id, voidId, v.Episode, v.Voter, v.Contestant, v.Type.ToWire(), v.Count, r.Refund, now);
            if (inserted.Count == 1) voided.Add(m);
        }
        if (voided.Count > 0) await VoidReviewsAsync(c, tx, voidId, r.Actor, r.Reason, now, ct);
        var deltas = voided.SelectMany(m => LedgerEffects.OfVoid(m.Vote, r.Refund)).ToList();
        foreach (var write in Projections.Plan(deltas, OutOfBatchStamp(now))) await ApplyWriteAsync(c, tx, write, ct);
        if (r.Refund) await QueueCarrierRefundsAsync(c, tx, voided.Where(m => m.Vote.Type == VoteType.Sms).Select(m => m.Id).ToArray(), now, ct);

        var result = new VoidResult(VoidStatus.Ok, voidId, voided.Count, voided.Sum(m => (long)m.Vote.Count), matched.Count - voided.Count);
        await ExecAsync(c, tx, "UPDATE voids SET rows_voided = $2, votes_voided = $3, already_voided = $4 WHERE id = $1",
            ct, voidId, result.RowsVoided, result.VotesVoided, result.AlreadyVoided);
        return result;
    }

    /// <summary>The void an earlier request with this key made; a different request under the same key is refused.</summary>
    private async Task<VoidResult?> PriorVoidAsync(DbConnection c, DbTransaction? tx, string key, string requestHash, CancellationToken ct)
    {
        var rows = await QueryAsync(c, tx, "SELECT id, rows_voided, votes_voided, already_voided, request_hash FROM voids WHERE idempotency_key = $1",
            x => string.Equals(x.GetString(4), requestHash, StringComparison.Ordinal)
                ? new VoidResult(VoidStatus.Ok, x.GetInt64(0), x.L(1), x.L(2), x.L(3), Replayed: true)
                : new VoidResult(VoidStatus.KeyReused), ct, key);
        return rows.Count == 0 ? null : rows[0];
    }

    private static string RequestHash(VoidRequest r) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{r.Episode.Value}\n{r.Selector.Describe()}\n{r.Refund}\n{r.Reason}"))));

    /// <summary>The episode's vote rows the selector matches, each with whether it is voided already.</summary>
    private Task<List<Matched>> MatchAsync(DbConnection c, DbTransaction tx, VoidRequest r, CancellationToken ct)
    {
        var s = r.Selector;
        var (where, arg) = s.Kind switch
        {
            VoidSelectorKind.Voter => ("v.voter_id = $2", (object?)s.Voter),
            VoidSelectorKind.Device => ("v.device_id = $2", s.Text),
            VoidSelectorKind.Ip => ("v.ip = $2", s.Text),
            // Few ids: a list of literals keeps the statement one shape per count on both stores.
            VoidSelectorKind.VoteIds => ($"v.id IN ({string.Join(", ", s.VoteIds.Distinct().Select(id => id.ToString(CultureInfo.InvariantCulture)))})", null),
            _ => throw new ArgumentOutOfRangeException(nameof(r)),
        };
        var sql = $"""
            SELECT v.id, v.voter_id, v.episode_id, v.contestant_id, v.vote_type, v.vote_count, v.created_at, v.bundle_id, vv.vote_id
            FROM votes v LEFT JOIN vote_voids vv ON vv.vote_id = v.id
            WHERE v.episode_id = $1 AND {where} ORDER BY v.id
            """;
        Matched Map(DbDataReader x) => new(new CountedVote(x.GetInt64(1), x.GetInt64(2), x.GetInt64(3),
                VoteTypes.TryParse(x.GetString(4), out var t) ? t : throw new InvalidOperationException($"vote {x.GetInt64(0)} has an unknown type"),
                (int)x.L(5), x.L(6), x.L(7)), x.GetInt64(0), !x.IsDBNull(8));
        return arg is null
            ? QueryAsync(c, tx, sql, Map, ct, r.Episode.Value)
            : QueryAsync(c, tx, sql, Map, ct, r.Episode.Value, arg);
    }

    /// <summary>
    /// Marks the carrier charge of each voided SMS vote as owing a refund, and queues the refund of those
    /// the carrier has confirmed. A charge still pending gets its refund when the carrier confirms it
    /// (<see cref="QueueOwedRefundsAsync"/> from the outbox's completion); a declined one is owed nothing.
    /// </summary>
    private async Task QueueCarrierRefundsAsync(DbConnection c, DbTransaction tx, long[] votes, long now, CancellationToken ct)
    {
        foreach (var vote in votes) await ExecAsync(c, tx, "UPDATE carrier_charges SET refund_owed = 1 WHERE vote_id = $1", ct, vote);
        await QueueOwedRefundsAsync(c, tx, votes, now, ct);
    }

    /// <summary>Queues a refund for each of these votes' charges that is confirmed and owes one (once per vote: the outbox key).</summary>
    private protected async Task QueueOwedRefundsAsync(DbConnection c, DbTransaction tx, IReadOnlyCollection<long> votes, long now, CancellationToken ct)
    {
        foreach (var vote in votes)
        {
            var charges = await QueryAsync(c, tx,
                "SELECT ch.carrier, ch.amount_cents, ch.currency, v.phone FROM carrier_charges ch JOIN voters v ON v.id = ch.voter_id WHERE ch.vote_id = $1 AND ch.status = 'confirmed' AND ch.refund_owed = 1",
                x => (Carrier: x.GetString(0), Cents: x.L(1), Currency: x.GetString(2), Phone: x.GetString(3)), ct, vote);
            foreach (var ch in charges)
            {
                var payload = OutboxJson.Write(new RefundPayload(ch.Carrier, vote, ch.Cents, ch.Currency,
                    string.Create(CultureInfo.InvariantCulture, $"charge:{vote}")));
                await ExecAsync(c, tx, SmsSql.InsertOutbox + " ON CONFLICT (idempotency_key) DO NOTHING", ct, RefundPayload.Kind, ch.Phone, payload,
                    string.Create(CultureInfo.InvariantCulture, $"refund:{vote}"), now);
            }
        }
    }

    /// <summary>Locks voters' rows in id order (SQLite: the write transaction already excludes every other writer).</summary>
    private protected virtual Task LockVotersAsync(DbConnection c, DbTransaction tx, long[] voters, CancellationToken ct) => Task.CompletedTask;

    /// <summary>One set-wise write, a row at a time (PostgreSQL sends all rows in one statement).</summary>
    private protected virtual async Task ApplyWriteAsync(DbConnection c, DbTransaction tx, SetWrite write, CancellationToken ct)
    {
        var changed = 0;
        foreach (var row in write.Rows) changed += await ExecAsync(c, tx, write.Sqlite, ct, row);
        write.Verify(changed);
    }
}
