using System.Globalization;
using Voting.Domain;
using Voting.Domain.Phones;
using Voting.Domain.Sms;
using Voting.Domain.Voting;

namespace Voting.Storage.Sql;

/// <summary>
/// The texts of a vote batch. A text is claimed by its carrier message id (a redelivery gets the
/// stored answer), its sender becomes a voter, and it is parsed against the line-up of the episode
/// it is for. A text that is a vote is then judged with the app votes by the same rules, except
/// that the carrier's receive time may admit it after the close. Every claimed text is recorded
/// with its reply's outbox row, and every carrier-billed vote gets its charge's outbox row, all in
/// the batch's transaction.
/// </summary>
internal sealed partial class VoteBatch
{
    private SmsWork?[]? _sms;
    private readonly Dictionary<VoteWork, SmsWork> _smsByWork = [];

    private SmsWork?[] Texts => _sms ??= _work.Select(w => w.Command.Sms is { } s ? new SmsWork(s) : null).ToArray();

    public bool HasTexts => Texts.Any(s => s is not null);

    /// <summary>A text that is answered without being judged as a vote: a redelivery, or not a vote at all.</summary>
    private bool SkipsJudging(int i) => Texts[i] is { Judged: false };

    public SmsClaimRequest SmsClaim()
    {
        var texts = Texts.OfType<SmsWork>().Select(s => s.Intake).ToList();
        // Claimed in one global order, so two batches claiming overlapping messages never deadlock.
        var messages = texts.DistinctBy(t => (t.Carrier, t.MessageId))
            .OrderBy(t => t.Carrier, StringComparer.Ordinal).ThenBy(t => t.MessageId, StringComparer.Ordinal).ToList();
        var phones = texts.Select(t => t.Sender).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return new SmsClaimRequest(messages, phones, texts.Min(t => (t.ArrivedAt - t.LateGrace).ToUnixTimeMilliseconds()), _nowMs);
    }

    /// <summary>Finds each text's voter and episode, parses it, and completes the command of each text that is a vote.</summary>
    public void ApplySmsContext(SmsContext ctx)
    {
        var first = new Dictionary<(string, string), int>();
        for (var i = 0; i < _work.Length; i++)
        {
            if (Texts[i] is not { } s) continue;
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
            var window = LateTextRule.EpisodeFor(ctx.Episodes, _now, t.CarrierReceivedAt, t.ArrivedAt, t.LateGrace);
            s.Episode = window?.Id.Value;
            var lineup = window is null ? [] : ctx.Lineups.GetValueOrDefault(window.Id.Value) ?? [];
            switch (SmsVoteParser.Parse(t.Text, lineup))
            {
                case SmsVote v when window is not null:
                    s.Judged = true;
                    s.Count = v.Count;
                    _work[i].Command = _work[i].Command with
                    {
                        Voter = new VoterId(s.Voter),
                        Episode = window.Id,
                        Request = new VoteRequest(v.Contestant, VoteType.Sms, v.Count),
                        TransactionId = $"{t.Carrier}:{t.MessageId}",
                    };
                    _smsByWork[_work[i]] = s;
                    break;
                case SmsRefused { Reason: SmsRefusal.InvalidFormat } r:
                    s.Answer = SmsReplies.Refused(r.Reason);
                    break;
                case SmsRefused r when window is not null:
                    s.Answer = SmsReplies.Refused(r.Reason);
                    break;
                default:
                    // Well formed, but no episode takes texts: that it is closed is what the texter needs to know.
                    s.Answer = SmsReplies.Closed;
                    break;
            }
        }
    }

    /// <summary>
    /// The window and moment a vote is judged at: commit time, except for a text our clock finds
    /// after the close but the carrier received inside the window, which is judged at the carrier's time.
    /// </summary>
    private (EpisodeWindow? Window, DateTimeOffset At) JudgedWindow(VoteWork w, EpisodeWindow? window)
    {
        if (w.Command.Sms is not { } t || window is null || window.IsOpenAt(_now)
            || !LateTextRule.AdmitsLate(window, t.CarrierReceivedAt, t.ArrivedAt, t.LateGrace))
            return (window, _now);
        _smsByWork[w].Late = true;
        return (window with { State = EpisodeStates.Open }, t.CarrierReceivedAt);
    }

    /// <summary>Whether a vote's window still takes it at <paramref name="at"/> (for the check just before commit).</summary>
    private static bool Admits(VoteWork w, EpisodeWindow window, DateTimeOffset at) =>
        w.Command.Sms is { } t
            ? LateTextRule.Admits(window, at, t.CarrierReceivedAt, t.ArrivedAt, t.LateGrace)
            : window.IsOpenAt(at);

    /// <summary>A text is billed by the carrier that delivered it; an app SMS vote by the carrier of the voter's prefix.</summary>
    private static string ChargedCarrier(VoteCommand c, VoterState voter) =>
        c.Sms?.Carrier ?? PhoneNumber.CarrierOf(voter.Phone).ToWire();

    /// <summary>The rows that record the batch's texts and bills; also fixes each text's answer. Null when there are none.</summary>
    public SmsWrites? SmsWrites(IReadOnlyList<VoteOutcome> outcomes)
    {
        var writes = new SmsWrites { CreatedAt = _nowMs };
        for (var i = 0; i < _work.Length; i++)
        {
            if (Texts[i] is not { DuplicateOf: < 0 } s) continue;
            if (s.Stored is { } stored)
            {
                s.Outcome = new SmsAnswered(stored.Outcome == SmsReplies.Counted, stored.Outcome, stored.Reply, stored.VoteId, Replayed: true);
                continue;
            }
            var answer = s.Answer;
            long voteId = 0;
            if (s.Judged)
            {
                (answer, voteId) = outcomes[i] switch
                {
                    VoteAccepted a => (SmsReplies.Vote(a.ContestantName, s.Count, a.Counters.SmsVotesAvailable), a.VoteId),
                    VoteRefused r => (SmsReplies.Refused(r.Refusal, r.Remaining), 0L),
                    _ => throw new InvalidOperationException("a text's vote has no outcome"),
                };
            }
            var t = s.Intake;
            s.Outcome = new SmsAnswered(answer!.Counted, answer.Code, answer.Reply, voteId, Replayed: false, voteId == 0 ? 0 : s.Episode ?? 0);
            writes.Messages.Add(new SmsMessageRow(t, s.Episode, s.Voter, voteId == 0 ? null : voteId, voteId == 0 ? 0 : s.Count,
                answer.Code, answer.Reply, s.Late && voteId != 0));
            writes.Outbox.Add(new OutboxRow(SmsPayload.Kind, t.Sender, OutboxJson.Write(new SmsPayload(answer.Reply, t.Carrier, t.ShortCode)),
                $"sms-reply:{t.Carrier}:{t.MessageId}"));
        }
        foreach (var w in Committed.Where(w => w.Carrier is not null)) writes.Outbox.Add(ChargeRow(w));
        foreach (var s in Texts.OfType<SmsWork>().Where(s => s.DuplicateOf >= 0)) s.Outcome = Texts[s.DuplicateOf]!.Outcome! with { Replayed = true };
        return writes.Messages.Count == 0 && writes.Outbox.Count == 0 ? null : writes;
    }

    private OutboxRow ChargeRow(VoteWork w)
    {
        var phone = _ctx.Voters[w.Command.Voter.Value].Phone;
        var payload = OutboxJson.Write(new ChargePayload(w.Carrier!, w.VoteId, w.AmountCents, _options.SmsCurrency,
            string.Create(CultureInfo.InvariantCulture, $"XFactor: {w.Request.Count} vote(s) for {w.Entry!.Name}")));
        return new OutboxRow(ChargePayload.Kind, phone, payload, string.Create(CultureInfo.InvariantCulture, $"charge:{w.VoteId}"));
    }

    /// <summary>The outcomes with each text's answer in place of its vote's outcome.</summary>
    public IReadOnlyList<VoteOutcome> WithSmsAnswers(IReadOnlyList<VoteOutcome> outcomes)
    {
        if (!HasTexts) return outcomes;
        var answered = outcomes.ToArray();
        for (var i = 0; i < answered.Length; i++)
        {
            if (Texts[i] is { } s) answered[i] = s.Outcome ?? throw new InvalidOperationException("a text was left unanswered");
        }
        return answered;
    }

    private sealed class SmsWork(SmsIntake intake)
    {
        public SmsIntake Intake { get; } = intake;
        /// <summary>Index of the first text of the batch with the same message id, or -1.</summary>
        public int DuplicateOf { get; set; } = -1;
        /// <summary>The answer of an earlier delivery of the message.</summary>
        public StoredSms? Stored { get; set; }
        public long Voter { get; set; }
        public long? Episode { get; set; }
        /// <summary>The answer decided without judging a vote (not a vote, or no episode takes texts).</summary>
        public SmsAnswer? Answer { get; set; }
        /// <summary>A vote, judged with the app votes of the batch.</summary>
        public bool Judged { get; set; }
        public int Count { get; set; }
        public bool Late { get; set; }
        public SmsAnswered? Outcome { get; set; }
    }
}
