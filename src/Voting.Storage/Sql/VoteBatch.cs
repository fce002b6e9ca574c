using Voting.Domain;
using Voting.Domain.Ledger;
using Voting.Domain.Push;
using Voting.Domain.Sms;
using Voting.Domain.Voting;
using Voting.Storage.Ledger;

namespace Voting.Storage.Sql;

/// <summary>
/// Decides a batch of votes in memory, in arrival order, against the voters' allowances read under
/// their row locks in the same transaction; then yields the ledger rows to insert and the deltas
/// the projections sum. The same decisions on SQLite and PostgreSQL.
/// </summary>
internal sealed class VoteBatch
{
    private readonly VoteWork[] _work;
    private readonly DateTimeOffset _now;
    private readonly long _nowMs;
    private readonly StorageOptions _options;
    private readonly long _shard;
    private readonly string _smsDay;
    private BatchContext _ctx = new();
    private readonly Dictionary<long, VoterAllowances> _allowances = [];
    private Dictionary<(long Episode, long Contestant), long> _totals = [];

    /// <param name="judged">Per command, whether it is judged as a vote (texts that are not votes are answered by the SMS intake); null: all are.</param>
    /// <param name="shard">The tally shard this batch writes (<see cref="TallyLanes"/>).</param>
    public VoteBatch(IReadOnlyList<VoteCommand> commands, IReadOnlyList<bool>? judged, DateTimeOffset now, StorageOptions options, long shard)
    {
        _shard = shard;
        _work = commands.Select((c, i) => new VoteWork(c, judged?[i] ?? true)).ToArray();
        _now = now;
        _nowMs = now.ToUnixTimeMilliseconds();
        _options = options;
        _smsDay = VoteRules.PhnomPenhDay(now);
    }

    public LedgerStamp Stamp => new(_shard, _nowMs);

    public ContextRequest Request()
    {
        var commands = _work.Where(w => w.Judged).Select(w => w.Command).ToList();
        return new ContextRequest(
            commands.Any(c => c.Episode is null),
            Sorted(commands.Where(c => c.Episode is not null).Select(c => c.Episode!.Value.Value)),
            Sorted(commands.Select(c => c.Voter.Value)),
            Sorted(commands.Where(c => c.Request.Type == VoteType.Bundle).Select(c => c.Voter.Value)),
            commands.Where(c => c.IdempotencyKey is not null).Select(c => (c.Voter.Value, c.IdempotencyKey!)).Distinct().ToArray(),
            Sorted(commands.Select(c => c.Request.Contestant.Value)),
            commands.Count,
            _smsDay);
    }

    private static long[] Sorted(IEnumerable<long> ids) => ids.Distinct().Order().ToArray();

    /// <summary>Decides every command; returns the rows to insert.</summary>
    public List<VoteRow> Decide(BatchContext context)
    {
        _ctx = context;
        var freeUsed = context.FreeUsed.ToLookup(kv => kv.Key.Voter, kv => KeyValuePair.Create(kv.Key.Episode, kv.Value));
        foreach (var (id, v) in context.Voters)
        {
            _allowances[id] = new VoterAllowances(v.Balance, v.SmsUsedToday, freeUsed[id],
                context.Bundles.GetValueOrDefault(id)?.Select(b => new BundleBalance(b.Id, b.Remaining)) ?? []);
        }

        var rows = new List<VoteRow>();
        var firstByKey = new Dictionary<(long, string), int>();
        var nextId = 0;
        for (var i = 0; i < _work.Length; i++)
        {
            var w = _work[i];
            var c = w.Command;
            if (!w.Judged) continue;
            if (c.IdempotencyKey is { } key)
            {
                if (context.Existing.TryGetValue((w.Voter, key), out var existing))
                {
                    ApplyExisting(w, existing);
                    continue;
                }
                if (firstByKey.TryGetValue((w.Voter, key), out var first))
                {
                    w.DuplicateOf = first;
                    continue;
                }
                firstByKey[(w.Voter, key)] = i;
            }
            Judge(w);
            if (w.Refusal is not null) continue;
            w.VoteId = context.VoteIds[nextId++];
            w.Points = VoteRules.LoyaltyPoints(w.Request.Type, w.Request.Count);
            rows.Add(new VoteRow(w.VoteId, w.Voter, w.EpisodeId, w.Request.Contestant.Value, w.Request.Type.ToWire(), w.Request.Count,
                w.AmountCents, w.Carrier is null ? null : _options.SmsCurrency, w.Request.Type.PaymentMethod(),
                w.BundleId == 0 ? null : w.BundleId, c.TransactionId, c.IdempotencyKey, c.RequestHash, w.Points, c.Client, _nowMs));
        }
        return rows;
    }

    private void Judge(VoteWork w)
    {
        var c = w.Command;
        w.EpisodeId = c.Episode?.Value ?? _ctx.OpenEpisode?.Id.Value ?? 0;
        if (!_ctx.Voters.TryGetValue(w.Voter, out var voter))
        {
            w.Refusal = VoteRefusal.VoterNotFound;
            return;
        }
        if (c.Episode is null && _ctx.OpenEpisode is null)
        {
            w.Refusal = VoteRefusal.VotingClosed; // no episode is open: there is nothing to vote in
            return;
        }
        _ctx.Windows.TryGetValue(w.EpisodeId, out var window);
        LineupEntry? entry = null;
        if (_ctx.Lineups.TryGetValue(w.EpisodeId, out var lineup)) lineup.TryGetValue(w.Request.Contestant.Value, out entry);
        w.Entry = entry;
        var (judged, judgedAt, late) = c.Sms is { } t
            ? SmsIntakeRule.JudgedWindow(window, _now, t.CarrierReceivedAt, t.ArrivedAt, t.LateGrace)
            : (window, _now, false);
        w.Refusal = VoteRules.Check(w.Request, judged, entry, _ctx.Contestants.Contains(w.Request.Contestant.Value), voter.Verified, judgedAt);
        if (w.Refusal is not null) return;
        if (c.Fraud is { } fraud && (fraud.Geo || fraud.Block))
        {
            w.Refusal = fraud.Geo ? VoteRefusal.VoteGeoBlocked : VoteRefusal.VoteBlocked;
            return;
        }
        w.Refusal = _allowances[w.Voter].TrySpend(w.Request.Type, w.EpisodeId, w.Request.Count, out var bundle);
        if (w.Refusal is not null) return;
        w.BundleId = bundle;
        w.Late = late;
        if (w.Request.Type == VoteType.Sms)
        {
            w.Carrier = SmsBilling.ChargedCarrier(c.Sms?.Carrier, voter.Phone);
            w.AmountCents = _options.SmsPriceFor(w.Carrier) * w.Request.Count;
        }
    }

    private static void ApplyExisting(VoteWork w, ExistingVote existing)
    {
        if (!string.Equals(existing.RequestHash, w.Command.RequestHash, StringComparison.Ordinal))
        {
            w.Refusal = VoteRefusal.IdempotencyKeyReused;
            return;
        }
        w.Replayed = true;
        w.VoteId = existing.Id;
        w.ReplayContestant = existing.Contestant;
        w.ReplayContestantName = existing.ContestantName;
        w.EpisodeId = existing.Episode;
        w.Points = existing.Points;
    }

    /// <summary>Keys whose rows were not inserted: another node committed the same key first.</summary>
    public List<(long Voter, string Key)> LostRaces(HashSet<long> inserted)
    {
        var lost = new List<(long, string)>();
        foreach (var w in _work.Where(w => w.VoteId != 0 && !w.Replayed && !inserted.Contains(w.VoteId)))
        {
            w.LostRace = true;
            lost.Add((w.Voter, w.Command.IdempotencyKey!));
        }
        return lost;
    }

    /// <summary>Answers lost races as the winning vote did, and gives back what they had spent.</summary>
    public void ResolveLostRaces(Dictionary<(long Voter, string Key), ExistingVote> winners)
    {
        foreach (var w in _work.Where(w => w.LostRace))
        {
            _allowances[w.Voter].GiveBack(w.Request.Type, w.EpisodeId, w.Request.Count, w.BundleId);
            w.Carrier = null;
            w.VoteId = 0;
            if (winners.TryGetValue((w.Voter, w.Command.IdempotencyKey!), out var existing)) ApplyExisting(w, existing);
            else w.Refusal = VoteRefusal.IdempotencyKeyReused;
        }
    }

    /// <summary>The votes this batch inserts.</summary>
    public IEnumerable<VoteWork> Committed => _work.Where(w => w.Committed);

    /// <summary>What the committed votes do to the counters, and the notifications they are owed.</summary>
    public List<LedgerDelta> Deltas() =>
        Committed.SelectMany(w => LedgerEffects.OfVote(new CountedVote(w.Voter, w.EpisodeId, w.Request.Contestant.Value, w.Request.Type,
                w.Request.Count, _nowMs, w.BundleId))
            .Append(new PushPendingDelta(w.Voter, new PendingVotes(w.EpisodeId, w.Request.Contestant.Value, w.Request.Count, w.VoteId, _nowMs, _nowMs))))
            .ToList();

    /// <summary>The carrier charges of carrier-billed votes (ledger rows of their own), then the projections' writes.</summary>
    public List<SetWrite> Writes()
    {
        var writes = new List<SetWrite>();
        var charges = Committed.Where(w => w.Carrier is not null)
            .Select(w => new object?[] { w.VoteId, w.Voter, w.Carrier, w.AmountCents, _options.SmsCurrency, _nowMs }).ToList();
        if (charges.Count > 0) writes.Add(CarrierCharges.Write(charges));
        var reviews = Committed.Where(w => w.Command.Fraud is { Block: false, Geo: false })
            .Select(w => new object?[] { w.VoteId, w.Voter, w.EpisodeId, w.Command.Fraud!.Score, w.Command.Fraud.Reasons, w.Command.Fraud.Inputs, _nowMs })
            .ToList();
        if (reviews.Count > 0) writes.Add(FraudReviews.Write(reviews));
        writes.AddRange(Projections.Plan(Deltas(), Stamp, new LedgerHints((voter, episode) => _ctx.FreeUsed.ContainsKey((voter, episode)))));
        return writes;
    }

    /// <summary>Contestants whose totals the outcomes report.</summary>
    public List<(long Episode, long Contestant)> TotalsWanted() =>
        _work.Where(w => w.Accepted).Select(w => (w.EpisodeId, w.Replayed ? w.ReplayContestant : w.Request.Contestant.Value)).Distinct().ToList();

    public void Totals(Dictionary<(long Episode, long Contestant), long> totals) => _totals = totals;

    /// <summary>
    /// Whether a window this batch counted votes in has closed since the batch was judged: the
    /// batch must not commit then, or votes would be committed after the close.
    /// </summary>
    public bool WindowClosedBy(DateTimeOffset commitTime) =>
        Committed.Any(w => _ctx.Windows.TryGetValue(w.EpisodeId, out var window) && !Admits(w, window, commitTime));

    private static bool Admits(VoteWork w, EpisodeWindow window, DateTimeOffset at) =>
        w.Command.Sms is { } t
            ? LateTextRule.Admits(window, at, t.CarrierReceivedAt, t.ArrivedAt, t.LateGrace)
            : window.IsOpenAt(at);

    /// <summary>The votes and charges behind each command (the SMS intake answers texts from these).</summary>
    public VoteWork WorkAt(int i) => _work[i];

    public string VoterPhone(long voter) => _ctx.Voters[voter].Phone;

    public IReadOnlyList<VoteOutcome> Outcomes()
    {
        var outcomes = new VoteOutcome[_work.Length];
        for (var i = 0; i < _work.Length; i++)
        {
            var w = _work[i];
            if (!w.Judged)
            {
                outcomes[i] = new VoteRefused(VoteRefusal.VotingClosed, 0); // replaced by the text's answer
                continue;
            }
            if (w.DuplicateOf >= 0)
            {
                var first = outcomes[w.DuplicateOf];
                var sameBody = string.Equals(w.Command.RequestHash, _work[w.DuplicateOf].Command.RequestHash, StringComparison.Ordinal);
                outcomes[i] = first is VoteAccepted a
                    ? sameBody ? a with { Replayed = true } : new VoteRefused(VoteRefusal.IdempotencyKeyReused, 0)
                    : first;
                continue;
            }
            var allowances = _allowances.GetValueOrDefault(w.Voter);
            if (w.Accepted)
            {
                var contestant = w.Replayed ? w.ReplayContestant : w.Request.Contestant.Value;
                outcomes[i] = new VoteAccepted(w.VoteId, new EpisodeId(w.EpisodeId), new ContestantId(contestant),
                    w.Replayed ? w.ReplayContestantName ?? "" : w.Entry!.Name,
                    _totals.GetValueOrDefault((w.EpisodeId, contestant)), CountersOf(allowances, w.EpisodeId), w.Points, w.Replayed);
                continue;
            }
            var refusal = w.Refusal ?? VoteRefusal.IdempotencyKeyReused;
            outcomes[i] = new VoteRefused(refusal, allowances?.RemainingFor(refusal, w.EpisodeId) ?? 0);
        }
        return outcomes;
    }

    private static VoterCounters CountersOf(VoterAllowances? a, long episode) => a is null
        ? new VoterCounters(VoteRules.FreeVotesPerEpisode, 0, VoteRules.SmsVotesPerDay, 0)
        : new VoterCounters(a.FreeRemaining(episode), a.Balance, a.SmsRemainingToday, a.BundleVotes);
}
