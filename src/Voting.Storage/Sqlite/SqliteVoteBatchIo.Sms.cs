using Voting.Domain;
using Voting.Domain.Sms;
using Voting.Storage.Sql;
using static Voting.Storage.Sql.VoteSql;

namespace Voting.Storage.Sqlite;

public sealed partial class SqliteVotingStore
{
    /// <summary>
    /// The texts of a batch on SQLite. The batch's transaction holds the only write lock, so a
    /// message not found here cannot be recorded by anyone else before this batch commits.
    /// </summary>
    private sealed partial class VoteBatchIo
    {
        private const string InsertMessage =
            $"INSERT INTO sms_messages ({SmsSql.MessageColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";

        public Task<SmsContext> ClaimSmsAsync(SmsClaimRequest request, CancellationToken ct)
        {
            var ctx = new SmsContext();
            foreach (var m in request.Messages)
            {
                if (First("SELECT outcome, reply, vote_id FROM sms_messages WHERE carrier = $1 AND message_id = $2", m.Carrier, m.MessageId) is { } row)
                    ctx.Answered[(m.Carrier, m.MessageId)] = new StoredSms((string)row[0]!, (string)row[1]!, SqlValue.Long(row[2]));
            }
            foreach (var phone in request.Phones)
            {
                if (First("SELECT id, phone_verified_at FROM voters WHERE phone = $1", phone) is { } voter)
                {
                    // A text from the phone proves it as well as a sign-in code does.
                    if (voter[1] is null) Rows("UPDATE voters SET phone_verified_at = $2 WHERE id = $1", SqlValue.Long(voter[0]), request.NowMs);
                    ctx.Voters[phone] = SqlValue.Long(voter[0]);
                }
                else
                {
                    ctx.Voters[phone] = SqlValue.Long(First(
                        "INSERT INTO voters (phone, phone_verified_at, created_at) VALUES ($1, $2, $2) RETURNING id", phone, request.NowMs)![0]);
                    ctx.NewVoters.Add(phone);
                }
            }
            foreach (var row in Rows($"{EpisodeColumns} WHERE {SmsSql.EpisodesTakingTexts}", request.EndedSinceMs))
            {
                var window = Window(row);
                ctx.Episodes.Add(window);
                ctx.Lineups[window.Id.Value] = Rows($"{SmsSql.LineupColumns} WHERE ec.episode_id = $1 ORDER BY ec.ballot_number", window.Id.Value)
                    .Select(r => new SmsLineupEntry((int)SqlValue.Long(r[1]), new ContestantId(SqlValue.Long(r[2])), (string)r[3]!, SqlValue.Text(r[4])))
                    .ToList();
            }
            return Task.FromResult(ctx);
        }

        public Task WriteSmsAsync(SmsWrites writes, CancellationToken ct)
        {
            foreach (var m in writes.Messages)
            {
                var t = m.Intake;
                Rows(InsertMessage, t.Carrier, t.MessageId, t.Sender, t.ShortCode, t.Text, t.CarrierReceivedAt.ToUnixTimeMilliseconds(),
                    t.ArrivedAt.ToUnixTimeMilliseconds(), SqlArg.Int(m.Episode), m.Voter, SqlArg.Int(m.Vote), m.VoteCount, m.Outcome, m.Reply,
                    t.CarrierMismatch, m.Late, writes.CreatedAt);
            }
            foreach (var o in writes.Outbox) Rows(SmsSql.InsertOutbox, o.Kind, o.Recipient, o.Payload, o.IdempotencyKey, writes.CreatedAt);
            return Task.CompletedTask;
        }
    }
}
