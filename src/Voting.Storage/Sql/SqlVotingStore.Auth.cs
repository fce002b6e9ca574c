using System.Security.Cryptography;
using System.Text;
using Voting.Domain;

namespace Voting.Storage.Sql;

public abstract partial class SqlVotingStore
{
    public Task<bool> IssueCodeAsync(NewOneTimeCode code, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            // No row exists to lock before a phone's first code, so the count is guarded by a lock on the phone.
            await LockPhoneAsync(c, tx, code.Phone, ct);
            var now = NowMs;
            var recent = SqlValue.Long(await ScalarAsync(c, tx,
                "SELECT COUNT(*) FROM one_time_codes WHERE phone = $1 AND created_at > $2", ct, code.Phone, now - 3_600_000));
            if (recent >= code.MaxPerHour) return false;
            // Only the newest code is good: a phone asking again makes the older ones dead.
            await ExecAsync(c, tx, "UPDATE one_time_codes SET status = 'dead' WHERE phone = $1 AND status = 'active'", ct, code.Phone);
            var id = SqlValue.Long(await ScalarAsync(c, tx,
                "INSERT INTO one_time_codes (phone, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4) RETURNING id",
                ct, code.Phone, code.CodeHash, now, now + (long)code.Lifetime.TotalMilliseconds));
            await ExecAsync(c, tx,
                "INSERT INTO outbox (kind, recipient, payload, idempotency_key, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $5, $5)",
                ct, SmsPayload.Kind, code.Phone, OutboxJson.Write(new SmsPayload(code.SmsText)), $"otp-{id}", now);
            return true;
        }, ct);

    public Task<CodeCheck> VerifyCodeAsync(string phone, string codeHash, int maxAttempts, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            var now = NowMs;
            // Locked, so concurrent guesses queue and each sees the attempts and status the previous left.
            var rows = await QueryAsync(c, tx,
                $"SELECT id, code_hash, attempts FROM one_time_codes WHERE phone = $1 AND status = 'active' AND expires_at > $2 ORDER BY id DESC LIMIT 1{ForUpdate}",
                r => (Id: r.GetInt64(0), Hash: r.GetString(1), Attempts: r.L(2)), ct, phone, now);
            if (rows.Count == 0) return new CodeCheck(CodeCheckStatus.Invalid);
            var stored = rows[0];
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored.Hash), Encoding.ASCII.GetBytes(codeHash)))
            {
                // The one change a failed request makes: the counter that kills a guessed-at code.
                await ExecAsync(c, tx,
                    "UPDATE one_time_codes SET attempts = attempts + 1, status = CASE WHEN attempts + 1 >= $2 THEN 'dead' ELSE status END WHERE id = $1",
                    ct, stored.Id, maxAttempts);
                return new CodeCheck(CodeCheckStatus.Invalid);
            }
            await ExecAsync(c, tx, "UPDATE one_time_codes SET status = 'used' WHERE id = $1", ct, stored.Id);
            var voter = SqlValue.Long(await ScalarAsync(c, tx,
                """
                INSERT INTO voters (phone, phone_verified_at, created_at) VALUES ($1, $2, $2)
                ON CONFLICT (phone) DO UPDATE SET phone_verified_at = COALESCE(voters.phone_verified_at, excluded.phone_verified_at)
                RETURNING id
                """, ct, phone, now));
            return new CodeCheck(CodeCheckStatus.Ok, new VoterId(voter));
        }, ct);

    public Task<string> GetOrAddSettingAsync(string key, string value, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            await ExecAsync(c, tx, "INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", ct, key, value);
            return SqlValue.Text(await ScalarAsync(c, tx, "SELECT value FROM settings WHERE key = $1", ct, key))!;
        }, ct);
}
