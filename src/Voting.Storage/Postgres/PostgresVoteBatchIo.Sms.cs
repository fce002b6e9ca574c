using Voting.Domain;
using Voting.Domain.Sms;
using Voting.Storage.Ledger;
using Voting.Storage.Sql;
using static Voting.Storage.Sql.VoteSql;

namespace Voting.Storage.Postgres;

/// <summary>
/// The texts of a batch on PostgreSQL, where several batches (and nodes) run at once. A message is
/// claimed by inserting its row first: a second delivery of it in another transaction waits on the
/// unique key until the first commits and then reads the answer it stored. Claims and new voters
/// are inserted in one global order, before any voter is locked, so batches never deadlock on them.
/// </summary>
internal sealed partial class PostgresVoteBatchIo
{
    public async Task<SmsContext> ClaimSmsAsync(SmsClaimRequest r, CancellationToken ct)
    {
        var m = r.Messages;
        string?[] T(Func<SmsIntake, string> f) => m.Select(f).ToArray();
        var carriers = T(x => x.Carrier);
        var ids = T(x => x.MessageId);
        var phones = r.Phones.Select(p => (string?)p).ToArray();
        var res = await RunAsync(
        [
            new("claim", """
                INSERT INTO sms_messages (carrier, message_id, sender, short_code, text, carrier_received_at, arrived_at, outcome, reply, created_at)
                SELECT d.c, d.m, d.s, d.sc, d.t, d.r, d.a, 'pending', '', $8
                FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::bigint[]) WITH ORDINALITY AS d(c, m, s, sc, t, r, a, n)
                ORDER BY d.n ON CONFLICT (carrier, message_id) DO NOTHING
                """, false, carriers, ids, T(x => x.Sender), T(x => x.ShortCode), T(x => x.Text),
                m.Select(x => x.CarrierReceivedAt.ToUnixTimeMilliseconds()).ToArray(), m.Select(x => x.ArrivedAt.ToUnixTimeMilliseconds()).ToArray(), r.NowMs),
            // A new statement sees what a transaction we waited for committed; our own claims are still 'pending'.
            new("answered", "SELECT s.carrier, s.message_id, s.outcome, s.reply, s.vote_id FROM sms_messages s JOIN unnest($1::text[], $2::text[]) AS k(c, m) ON s.carrier = k.c AND s.message_id = k.m WHERE s.outcome <> 'pending'",
                true, carriers, ids),
            // RETURNING names only the rows this transaction inserted: a number another batch made a voter is not new here.
            new("new voters", "INSERT INTO voters (phone, phone_verified_at, created_at) SELECT d.p, $2, $2 FROM unnest($1::text[]) WITH ORDINALITY AS d(p, n) ORDER BY d.n ON CONFLICT (phone) DO NOTHING RETURNING phone",
                true, phones, r.NowMs),
            // A text from the phone proves it as well as a sign-in code does.
            // Locked in id order, like every other lock on voters, so this never deadlocks with a batch or a void.
            new("verify", "UPDATE voters SET phone_verified_at = $2 WHERE id IN (SELECT id FROM voters WHERE phone = ANY($1) AND phone_verified_at IS NULL ORDER BY id FOR NO KEY UPDATE)",
                false, phones, r.NowMs),
            new("voter ids", "SELECT phone, id FROM voters WHERE phone = ANY($1)", true, (object)phones),
            new("episodes", $"{EpisodeColumns} WHERE {SmsSql.EpisodesTakingTexts}", true, r.EndedSinceMs),
            new("episode lineups", $"{SmsSql.LineupColumns} WHERE ec.episode_id IN (SELECT id FROM episodes WHERE {SmsSql.EpisodesTakingTexts}) ORDER BY ec.episode_id, ec.ballot_number",
                true, r.EndedSinceMs),
        ], ct);

        var ctx = new SmsContext();
        foreach (var row in res["answered"])
            ctx.Answered[((string)row[0]!, (string)row[1]!)] = new StoredSms((string)row[2]!, (string)row[3]!, SqlValue.Long(row[4]));
        foreach (var row in res["voter ids"]) ctx.Voters[(string)row[0]!] = SqlValue.Long(row[1]);
        foreach (var row in res["new voters"]) ctx.NewVoters.Add((string)row[0]!);
        foreach (var row in res["episodes"])
        {
            var window = new Domain.Voting.EpisodeWindow(new EpisodeId(SqlValue.Long(row[0])), (string)row[1]!, SqlValue.Time(row[2]), SqlValue.Time(row[3]));
            ctx.Episodes.Add(window);
            ctx.Lineups[window.Id.Value] = [];
        }
        foreach (var row in res["episode lineups"])
        {
            if (!ctx.Lineups.TryGetValue(SqlValue.Long(row[0]), out var lineup)) continue; // an episode that changed between the two reads
            lineup.Add(new SmsLineupEntry((int)SqlValue.Long(row[1]), new ContestantId(SqlValue.Long(row[2])), (string)row[3]!, SqlValue.Text(row[4])));
        }
        return ctx;
    }

    public async Task WriteSmsAsync(SmsWrites w, CancellationToken ct)
    {
        var msgs = w.Messages;
        var o = w.Outbox;
        var res = await RunAsync(
        [
            new("messages", """
                UPDATE sms_messages s SET episode_id = d.e, voter_id = d.v, vote_id = d.vote, vote_count = d.n, outcome = d.o, reply = d.r,
                    carrier_mismatch = d.mm, late = d.l
                FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8::text[], $9::bigint[], $10::bigint[])
                    AS d(c, m, e, v, vote, n, o, r, mm, l)
                WHERE s.carrier = d.c AND s.message_id = d.m AND s.outcome = 'pending'
                RETURNING s.id
                """, true,
                msgs.Select(x => (string?)x.Intake.Carrier).ToArray(), msgs.Select(x => (string?)x.Intake.MessageId).ToArray(),
                msgs.Select(x => x.Episode).ToArray(), msgs.Select(x => x.Voter).ToArray(), msgs.Select(x => x.Vote).ToArray(),
                msgs.Select(x => (long)x.VoteCount).ToArray(), msgs.Select(x => (string?)x.Outcome).ToArray(), msgs.Select(x => (string?)x.Reply).ToArray(),
                msgs.Select(x => x.Intake.CarrierMismatch ? 1L : 0L).ToArray(), msgs.Select(x => x.Late ? 1L : 0L).ToArray()),
            new("outbox", "INSERT INTO outbox (kind, recipient, payload, idempotency_key, next_attempt_at, created_at) SELECT d.k, d.r, d.p, d.i, $5, $5 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS d(k, r, p, i)",
                false, o.Select(x => (string?)x.Kind).ToArray(), o.Select(x => (string?)x.Recipient).ToArray(), o.Select(x => (string?)x.Payload).ToArray(),
                o.Select(x => (string?)x.IdempotencyKey).ToArray(), w.CreatedAt),
        ], ct);
        // Every message recorded here was claimed by this transaction; anything else is a bug, and the batch must not commit.
        if (res["messages"].Count != msgs.Count) throw new LimitGuardException("a batch recorded a text it had not claimed");
    }
}
