using System.Globalization;
using Voting.Domain;
using Voting.Domain.Sms;
using Voting.Domain.Voting;

namespace Voting.Storage.Sql;

/// <summary>
/// The step before judging a batch with texts. Each text is claimed by its carrier message id (a
/// redelivery gets the stored answer), its sender becomes a voter, and the domain's intake rule says
/// which episode it is for and what it asks. A text that is a vote becomes a complete vote command,
/// judged with the app votes of the batch by the same rules; the others are answered here. After
/// judging, every claimed text is recorded with its reply's outbox row (for a number the text made a
/// voter, the reply carries the welcome), in the batch's transaction.
/// </summary>
internal sealed class SmsIntakeStep
{
    private readonly IReadOnlyList<VoteCommand> _commands;
    private readonly DateTimeOffset _now;
    private readonly Text?[] _texts;

    public SmsIntakeStep(IReadOnlyList<VoteCommand> commands, DateTimeOffset now)
    {
        _commands = commands;
        _now = now;
        _texts = commands.Select(c => c.Sms is { } s ? new Text(s) : null).ToArray();
    }

    public static bool AnyTexts(IReadOnlyList<VoteCommand> commands) => commands.Any(c => c.Sms is not null);

    public SmsClaimRequest Claim()
    {
        var texts = _texts.OfType<Text>().Select(s => s.Intake).ToList();
        // Claimed in one global order, so two batches claiming overlapping messages never deadlock.
        var messages = texts.DistinctBy(t => (t.Carrier, t.MessageId))
            .OrderBy(t => t.Carrier, StringComparer.Ordinal).ThenBy(t => t.MessageId, StringComparer.Ordinal).ToList();
        var phones = texts.Select(t => t.Sender).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return new SmsClaimRequest(messages, phones, texts.Min(t => (t.ArrivedAt - t.LateGrace).ToUnixTimeMilliseconds()), _now.ToUnixTimeMilliseconds());
    }

    /// <summary>The batch's commands with each text that is a vote completed, and which commands are judged as votes.</summary>
    public (IReadOnlyList<VoteCommand> Commands, bool[] Judged) Resolve(SmsContext ctx)
    {
        var commands = _commands.ToArray();
        var judged = new bool[commands.Length];
        var first = new Dictionary<(string, string), int>();
        for (var i = 0; i < commands.Length; i++)
        {
            judged[i] = _texts[i] is null;
            if (_texts[i] is not { } s) continue;
            var t = s.Intake;
            if (first.TryGetValue((t.Carrier, t.MessageId), out var earlier))
            {
                s.DuplicateOf = earlier;
                continue;
            }
            first[(t.Carrier, t.MessageId)] = i;
            if (ctx.Answered.TryGetValue((t.Carrier, t.MessageId), out var stored))
            {
                s.Stored = stored;
                continue;
            }
            s.Voter = ctx.Voters[t.Sender];
            s.Welcome = ctx.NewVoters.Remove(t.Sender);
            var resolution = SmsIntakeRule.Resolve(t.Text, ctx.Episodes, e => ctx.Lineups.GetValueOrDefault(e.Value) ?? [],
                _now, t.CarrierReceivedAt, t.ArrivedAt, t.LateGrace);
            s.Episode = resolution.Episode?.Id.Value;
            switch (resolution)
            {
                case SmsVoteResolution v:
                    judged[i] = true;
                    s.Count = v.Count;
                    commands[i] = commands[i] with
                    {
                        Voter = new VoterId(s.Voter),
                        Episode = v.Window.Id,
                        Request = new VoteRequest(v.Contestant, VoteType.Sms, v.Count),
                        TransactionId = $"{t.Carrier}:{t.MessageId}",
                    };
                    break;
                case SmsAnswerResolution a:
                    s.Answer = a.Answer;
                    break;
            }
        }
        return (commands, judged);
    }

    /// <summary>The rows that record the texts; also fixes each text's answer from its vote's outcome.</summary>
    public void Record(VoteBatch batch, IReadOnlyList<VoteOutcome> outcomes, SmsWrites writes)
    {
        for (var i = 0; i < _texts.Length; i++)
        {
            if (_texts[i] is not { DuplicateOf: < 0 } s) continue;
            if (s.Stored is { } stored)
            {
                s.Outcome = new SmsAnswered(stored.Outcome == SmsReplies.Counted, stored.Outcome, stored.Reply, stored.VoteId, Replayed: true);
                continue;
            }
            var answer = s.Answer;
            long voteId = 0;
            if (batch.WorkAt(i).Judged)
            {
                (answer, voteId) = outcomes[i] switch
                {
                    VoteAccepted a => (SmsReplies.Vote(a.ContestantName, s.Count, a.Counters.SmsVotesAvailable), a.VoteId),
                    VoteRefused r => (SmsReplies.Refused(r.Refusal, r.Remaining), 0L),
                    _ => throw new InvalidOperationException("a text's vote has no outcome"),
                };
            }
            var t = s.Intake;
            s.Outcome = new SmsAnswered(answer!.Counted, answer.Code, answer.Reply, voteId, Replayed: false, voteId == 0 ? 0 : s.Episode ?? 0,
                voteId == 0 ? 0 : s.Count, s.Voter, s.Episode, batch.WorkAt(i).Judged ? batch.WorkAt(i).Request.Contestant.Value : 0, s.Count);
            writes.Messages.Add(new SmsMessageRow(t, s.Episode, s.Voter, voteId == 0 ? null : voteId, voteId == 0 ? 0 : s.Count,
                answer.Code, answer.Reply, batch.WorkAt(i).Late && voteId != 0));
            // The number became a voter with this text (once ever): its reply carries the welcome, one
            // message, so the two never arrive out of order and the dispatcher sends one request, not two.
            writes.Outbox.Add(new OutboxRow(SmsPayload.Kind, t.Sender,
                OutboxJson.Write(new SmsPayload(s.Welcome ? SmsReplies.Welcoming(answer.Reply) : answer.Reply, t.Carrier, t.ShortCode)),
                $"sms-reply:{t.Carrier}:{t.MessageId}"));
        }
        foreach (var s in _texts.OfType<Text>().Where(s => s.DuplicateOf >= 0)) s.Outcome = _texts[s.DuplicateOf]!.Outcome! with { Replayed = true };
    }

    /// <summary>The outcomes with each text's answer in place of its vote's outcome.</summary>
    public IReadOnlyList<VoteOutcome> Answers(IReadOnlyList<VoteOutcome> outcomes)
    {
        var answered = outcomes.ToArray();
        for (var i = 0; i < answered.Length; i++)
        {
            if (_texts[i] is { } s) answered[i] = s.Outcome ?? throw new InvalidOperationException("a text was left unanswered");
        }
        return answered;
    }

    /// <summary>The charge request of every carrier-billed vote the batch commits (texts and app SMS votes alike).</summary>
    public static IEnumerable<OutboxRow> Charges(VoteBatch batch, string currency) =>
        batch.Committed.Where(w => w.Carrier is not null).Select(w => new OutboxRow(ChargePayload.Kind, batch.VoterPhone(w.Voter),
            OutboxJson.Write(new ChargePayload(w.Carrier!, w.VoteId, w.AmountCents, currency, SmsBilling.Description(w.Request.Count, w.Entry!.Name))),
            string.Create(CultureInfo.InvariantCulture, $"charge:{w.VoteId}")));

    private sealed class Text(SmsIntake intake)
    {
        public SmsIntake Intake { get; } = intake;
        /// <summary>Index of the first text of the batch with the same message id, or -1.</summary>
        public int DuplicateOf { get; set; } = -1;
        /// <summary>The answer of an earlier delivery of the message.</summary>
        public StoredSms? Stored { get; set; }
        public long Voter { get; set; }
        /// <summary>Whether this text made its sender a voter (the first text of the number in the batch): its reply carries the welcome.</summary>
        public bool Welcome { get; set; }
        public long? Episode { get; set; }
        /// <summary>The answer decided without judging a vote (not a vote, or no episode takes texts).</summary>
        public SmsAnswer? Answer { get; set; }
        public int Count { get; set; }
        public SmsAnswered? Outcome { get; set; }
    }
}
