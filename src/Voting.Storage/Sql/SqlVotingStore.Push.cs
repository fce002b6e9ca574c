using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Voting.Domain;
using Voting.Domain.Push;

namespace Voting.Storage.Sql;

public abstract partial class SqlVotingStore
{
    private const int MaxFlush = 500;

    /// <summary>Lock suffix for rows that several nodes may try to take at once: a row another holds is skipped, not waited for.</summary>
    protected virtual string SkipLocked => "";

    public Task<PushTokenRegistration> RegisterPushTokenAsync(VoterId voter, string platform, string token, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            if (await ScalarAsync(c, tx, "SELECT id FROM voters WHERE id = $1", ct, voter.Value) is null) return PushTokenRegistration.VoterNotFound;
            var now = NowMs;
            // A concurrent registration of the same token waits here on the key, then finds it below.
            if (await ScalarAsync(c, tx,
                    "INSERT INTO push_tokens (token, voter_id, platform, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (token) DO NOTHING RETURNING token",
                    ct, token, voter.Value, platform, now) is not null)
                return PushTokenRegistration.Created;
            var owner = await QueryAsync(c, tx, $"SELECT voter_id, platform FROM push_tokens WHERE token = $1{ForUpdate}",
                r => (Voter: r.L(0), Platform: r.GetString(1)), ct, token);
            var same = owner.Count == 1 && owner[0].Voter == voter.Value;
            if (same && owner[0].Platform == platform) return PushTokenRegistration.AlreadyRegistered;
            // The upsert also covers a token deleted since the insert above found it.
            await ExecAsync(c, tx,
                """
                INSERT INTO push_tokens (token, voter_id, platform, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
                ON CONFLICT (token) DO UPDATE SET voter_id = excluded.voter_id, platform = excluded.platform, updated_at = excluded.updated_at
                """, ct, token, voter.Value, platform, now);
            return same ? PushTokenRegistration.AlreadyRegistered : owner.Count == 0 ? PushTokenRegistration.Created : PushTokenRegistration.Moved;
        }, ct);

    public Task<bool> RemovePushTokenAsync(VoterId voter, string token, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
            await ExecAsync(c, tx, "DELETE FROM push_tokens WHERE token = $1 AND voter_id = $2", ct, token, voter.Value) == 1, ct);

    public Task<bool> ForgetPushTokenAsync(string token, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) => await ExecAsync(c, tx, "DELETE FROM push_tokens WHERE token = $1", ct, token) == 1, ct);

    public async Task<PushFlush> FlushPushPendingAsync(DateTimeOffset firstVoteAtOrBefore, int limit, CancellationToken ct)
    {
        var cutoff = firstVoteAtOrBefore.ToUnixTimeMilliseconds();
        limit = Math.Clamp(limit, 1, MaxFlush);
        // Most scans find nothing: look first without a write transaction, so an idle coalescer
        // never takes SQLite's write lock from the vote writer.
        if (await ReadAsync(async c => await ScalarAsync(c, null, "SELECT voter_id FROM push_pending WHERE first_at <= $1 LIMIT 1", ct, cutoff), ct) is null)
            return new PushFlush(0, 0);
        return await InTransactionAsync(async (c, tx) =>
        {
            // Deleted as they are taken, in the transaction that writes their notifications: each
            // pending row becomes outbox rows exactly once. On PostgreSQL a row another node is
            // taking is skipped; a vote batch adding to a taken row waits and then starts a new one.
            // Picked once (MATERIALIZED): inside IN (...) PostgreSQL may run a locking pick more
            // than once and take more than the limit.
            var taken = await QueryAsync(c, tx,
                $"""
                WITH picked AS MATERIALIZED (
                    SELECT voter_id FROM push_pending WHERE first_at <= $1 ORDER BY first_at, voter_id LIMIT $2{SkipLocked})
                DELETE FROM push_pending WHERE voter_id IN (SELECT voter_id FROM picked)
                RETURNING voter_id, episode_id, contestant_id, votes, last_vote_id
                """,
                r => (Voter: r.L(0), Episode: r.L(1), Contestant: r.L(2), Votes: r.L(3), LastVote: r.L(4)), ct, cutoff, (long)limit);
            if (taken.Count == 0) return new PushFlush(0, 0);
            var voters = taken.Select(t => t.Voter).Distinct().Order().ToArray();
            var tokens = await QueryAsync(c, tx,
                $"SELECT voter_id, platform, token FROM push_tokens WHERE voter_id IN ({Positions(1, voters.Length)}) ORDER BY voter_id, token",
                r => (Voter: r.L(0), Platform: r.GetString(1), Token: r.GetString(2)), ct, [.. voters.Select(v => (object?)v)]);
            var contestants = taken.Select(t => t.Contestant).Distinct().Order().ToArray();
            var names = (await QueryAsync(c, tx, $"SELECT id, name FROM contestants WHERE id IN ({Positions(1, contestants.Length)})",
                r => (Id: r.L(0), Name: r.GetString(1)), ct, [.. contestants.Select(v => (object?)v)])).ToDictionary(n => n.Id, n => n.Name);
            var byVoter = tokens.ToLookup(t => t.Voter);
            var now = NowMs;
            var rows = new List<object?[]>();
            foreach (var p in taken)
            {
                var message = PushMessages.VoteConfirmed(p.Votes, names.GetValueOrDefault(p.Contestant) ?? "your contestant");
                var data = new PushData(PushMessages.VoteConfirmationType, p.Contestant, p.Episode, p.Votes);
                foreach (var t in byVoter[p.Voter])
                {
                    var payload = OutboxJson.Write(new PushPayload(t.Platform, t.Token, message.Title, message.Body, data));
                    rows.Add([OutboxKinds.Push, string.Create(CultureInfo.InvariantCulture, $"voter:{p.Voter}"), payload, PushKey(p.LastVote, t.Token), now]);
                }
            }
            // A few multi-row statements, not a round trip per row: vote batches adding to a taken
            // voter's pending row wait for this transaction, so it must be short.
            var written = 0;
            foreach (var chunk in rows.Chunk(200))
            {
                var values = string.Join(", ", chunk.Select((_, i) => $"(${i * 5 + 1}, ${i * 5 + 2}, ${i * 5 + 3}, ${i * 5 + 4}, ${i * 5 + 5}, ${i * 5 + 5})"));
                written += await ExecAsync(c, tx,
                    $"INSERT INTO outbox (kind, recipient, payload, idempotency_key, next_attempt_at, created_at) VALUES {values} ON CONFLICT (idempotency_key) DO NOTHING",
                    ct, [.. chunk.SelectMany(r => r)]);
            }
            return new PushFlush(taken.Count, written);
        }, ct);
    }

    /// <summary>
    /// One notification per device per flush: the latest vote it covers names it (no two flushes of
    /// a voter share one), and the token is hashed to keep the key short whatever the token's length.
    /// </summary>
    private static string PushKey(long lastVote, string token) => string.Create(CultureInfo.InvariantCulture,
        $"push:{lastVote}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..32]}");
}
