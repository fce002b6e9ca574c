using Voting.Domain;
using Voting.Domain.Voting;

namespace Voting.Storage.Sql;

/// <summary>
/// Decides a batch of votes in memory, in arrival order, against counters read under the
/// voters' row locks in the same transaction; then says which ledger rows to insert and how
/// much each projection moves. Pure bookkeeping: the same decisions on SQLite and PostgreSQL.
/// </summary>
internal sealed partial class VoteBatch
{
    private readonly VoteWork[] _work;
    private readonly DateTimeOffset _now;
    private readonly long _nowMs;
    private readonly StorageOptions _options;
    private readonly string _smsDay;
    private BatchContext _ctx = new();

    // Running counters: start from the context, move with every vote accepted in this batch.
    private readonly Dictionary<long, long> _balance = [];
    private readonly Dictionary<long, long> _smsUsed = [];
    private readonly Dictionary<(long Voter, long Episode), long> _freeUsed = [];
    private readonly Dictionary<long, List<(long Id, long Remaining)>> _bundles = [];
    private Dictionary<(long Episode, long Contestant), long> _totals = [];

    public VoteBatch(IReadOnlyList<VoteCommand> commands, DateTimeOffset now, StorageOptions options)
    {
        _work = commands.Select(c => new VoteWork(c)).ToArray();
        _now = now;
        _nowMs = now.ToUnixTimeMilliseconds();
        _options = options;
        _smsDay = VoteRules.PhnomPenhDay(now);
    }

    public ContextRequest Request()
    {
        var commands = _work.Where((_, i) => !SkipsJudging(i)).Select(w => w.Command).ToList();
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
        foreach (var (id, v) in context.Voters)
        {
            _balance[id] = v.Balance;
            _smsUsed[id] = v.SmsUsedToday;
        }
        foreach (var (key, used) in context.FreeUsed) _freeUsed[key] = used;
        foreach (var (voter, list) in context.Bundles) _bundles[voter] = [.. list];

        var rows = new List<VoteRow>();
        var firstByKey = new Dictionary<(long, string), int>();
        var nextId = 0;
        for (var i = 0; i < _work.Length; i++)
        {
            var w = _work[i];
            var c = w.Command;
            if (SkipsJudging(i)) continue;
            if (c.IdempotencyKey is { } key)
            {
                if (context.Existing.TryGetValue((c.Voter.Value, key), out var existing))
                {
                    ApplyExisting(w, existing);
                    continue;
                }
                if (firstByKey.TryGetValue((c.Voter.Value, key), out var first))
                {
                    w.DuplicateOf = first;
                    continue;
                }
                firstByKey[(c.Voter.Value, key)] = i;
            }
            Judge(w);
            if (w.Refusal is not null) continue;
            w.VoteId = context.VoteIds[nextId++];
            w.Points = VoteRules.LoyaltyPoints(w.Request.Type, w.Request.Count);
            rows.Add(new VoteRow(w.VoteId, c.Voter.Value, w.EpisodeId, w.Request.Contestant.Value, w.Request.Type.ToWire(), w.Request.Count,
                w.AmountCents, w.Carrier is null ? null : _options.SmsCurrency, w.Request.Type.PaymentMethod(),
                w.BundleId == 0 ? null : w.BundleId, c.TransactionId, c.IdempotencyKey, c.RequestHash, w.Points, c.Client, _nowMs));
        }
        return rows;
    }

    private void Judge(VoteWork w)
    {
        var c = w.Command;
        var voterId = c.Voter.Value;
        w.EpisodeId = c.Episode?.Value ?? _ctx.OpenEpisode?.Id.Value ?? 0;
        if (!_ctx.Voters.TryGetValue(voterId, out var voter))
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
        var (judged, judgedAt) = JudgedWindow(w, window);
        w.Refusal = VoteRules.Check(w.Request, judged, entry, _ctx.Contestants.Contains(w.Request.Contestant.Value), voter.Verified, judgedAt);
        if (w.Refusal is not null) return;

        var n = w.Request.Count;
        switch (w.Request.Type)
        {
            case VoteType.Free:
                var used = _freeUsed.GetValueOrDefault((voterId, w.EpisodeId));
                if (used + n > VoteRules.FreeVotesPerEpisode) w.Refusal = VoteRefusal.FreeVoteLimitExceeded;
                else _freeUsed[(voterId, w.EpisodeId)] = used + n;
                break;
            case VoteType.Paid:
                var balance = _balance[voterId];
                if (balance < n) w.Refusal = VoteRefusal.InsufficientVoteBalance;
                else _balance[voterId] = balance - n;
                break;
            case VoteType.Sms:
                var sms = _smsUsed[voterId];
                if (sms + n > VoteRules.SmsVotesPerDay) w.Refusal = VoteRefusal.SmsLimitExceeded;
                else
                {
                    _smsUsed[voterId] = sms + n;
                    w.Carrier = ChargedCarrier(c, voter);
                    w.AmountCents = _options.SmsPriceFor(w.Carrier) * n;
                }
                break;
            default:
                var bundles = _bundles.GetValueOrDefault(voterId) ?? [];
                var at = bundles.FindIndex(b => b.Remaining >= n);
                if (at < 0) w.Refusal = VoteRefusal.InsufficientBundleVotes;
                else
                {
                    w.BundleId = bundles[at].Id;
                    bundles[at] = (bundles[at].Id, bundles[at].Remaining - n);
                }
                break;
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
            lost.Add((w.Command.Voter.Value, w.Command.IdempotencyKey!));
        }
        return lost;
    }

    /// <summary>Answers lost races as the winning vote did.</summary>
    public void ResolveLostRaces(Dictionary<(long Voter, string Key), ExistingVote> winners)
    {
        foreach (var w in _work.Where(w => w.LostRace))
        {
            UndoCounters(w);
            w.VoteId = 0;
            if (winners.TryGetValue((w.Command.Voter.Value, w.Command.IdempotencyKey!), out var existing)) ApplyExisting(w, existing);
            else w.Refusal = VoteRefusal.IdempotencyKeyReused;
        }
    }

    private void UndoCounters(VoteWork w)
    {
        var voter = w.Command.Voter.Value;
        var n = w.Request.Count;
        switch (w.Request.Type)
        {
            case VoteType.Free: _freeUsed[(voter, w.EpisodeId)] -= n; break;
            case VoteType.Paid: _balance[voter] += n; break;
            case VoteType.Sms: _smsUsed[voter] -= n; break;
            default:
                var bundles = _bundles[voter];
                var at = bundles.FindIndex(b => b.Id == w.BundleId);
                bundles[at] = (w.BundleId, bundles[at].Remaining + n);
                break;
        }
        w.Carrier = null;
    }

    private IEnumerable<VoteWork> Committed => _work.Where(w => w.VoteId != 0 && !w.Replayed && !w.LostRace && w.Refusal is null && w.DuplicateOf < 0);

    /// <summary>How much each projection moves, summed per row.</summary>
    public BatchEffects Effects()
    {
        var e = new BatchEffects { CreatedAt = _nowMs, Shard = _options.TallyShard };
        var committed = Committed.ToList();
        foreach (var g in committed.Where(w => w.Request.Type == VoteType.Paid).GroupBy(w => w.Command.Voter.Value).OrderBy(g => g.Key))
            e.Balances.Add((g.Key, g.Sum(w => (long)w.Request.Count)));
        foreach (var g in committed.GroupBy(w => (w.Command.Voter.Value, w.EpisodeId)).OrderBy(g => g.Key))
        {
            e.VoterEpisodes.Add((g.Key.Value, g.Key.EpisodeId, Sum(g, VoteType.Free), Sum(g, VoteType.Paid), g.Sum(w => (long)w.Request.Count)));
        }
        foreach (var g in committed.Where(w => w.Request.Type == VoteType.Sms).GroupBy(w => w.Command.Voter.Value).OrderBy(g => g.Key))
            e.Sms.Add((g.Key, _smsDay, g.Sum(w => (long)w.Request.Count)));
        foreach (var g in committed.Where(w => w.Request.Type == VoteType.Bundle).GroupBy(w => w.BundleId).OrderBy(g => g.Key))
            e.Bundles.Add((g.Key, g.Sum(w => (long)w.Request.Count)));
        // Tally rows in key order, so two writers on one shard never lock them in opposite orders.
        foreach (var g in committed.GroupBy(w => (w.EpisodeId, w.Request.Contestant.Value, w.Request.Type)).OrderBy(g => g.Key))
            e.Tallies.Add((g.Key.EpisodeId, g.Key.Value, g.Key.Type.ToWire(), g.Sum(w => (long)w.Request.Count)));
        foreach (var g in committed.GroupBy(w => w.EpisodeId).OrderBy(g => g.Key))
            e.Hourly.Add((g.Key, _nowMs / 3_600_000, g.Sum(w => (long)w.Request.Count)));
        foreach (var g in committed.GroupBy(w => (w.EpisodeId, w.Request.Contestant.Value)).OrderBy(g => g.Key))
            e.Minutes.Add((g.Key.EpisodeId, _nowMs / 60_000, g.Key.Value, g.Sum(w => (long)w.Request.Count)));
        foreach (var w in committed.Where(w => w.Carrier is not null))
            e.Charges.Add((w.VoteId, w.Command.Voter.Value, w.Carrier!, w.AmountCents, _options.SmsCurrency));
        e.ContestantTotals.AddRange(_work.Where(w => w.Accepted).Select(w => (w.EpisodeId, w.Replayed ? w.ReplayContestant : w.Request.Contestant.Value)).Distinct());
        AddPushPending(e, committed);
        return e;
    }

    private static long Sum(IEnumerable<VoteWork> g, VoteType type) => g.Where(w => w.Request.Type == type).Sum(w => (long)w.Request.Count);

    public void Totals(Dictionary<(long Episode, long Contestant), long> totals) => _totals = totals;

    /// <summary>
    /// Whether a window this batch counted votes in has closed since the batch was judged: the
    /// batch must not commit then, or votes would be committed after the close.
    /// </summary>
    public bool WindowClosedBy(DateTimeOffset commitTime) =>
        Committed.Any(w => _ctx.Windows.TryGetValue(w.EpisodeId, out var window) && !Admits(w, window, commitTime));

    public IReadOnlyList<VoteOutcome> Outcomes()
    {
        var outcomes = new VoteOutcome[_work.Length];
        for (var i = 0; i < _work.Length; i++)
        {
            var w = _work[i];
            if (w.DuplicateOf >= 0)
            {
                var first = outcomes[w.DuplicateOf];
                var sameBody = string.Equals(w.Command.RequestHash, _work[w.DuplicateOf].Command.RequestHash, StringComparison.Ordinal);
                outcomes[i] = first is VoteAccepted a
                    ? sameBody ? a with { Replayed = true } : new VoteRefused(VoteRefusal.IdempotencyKeyReused, 0)
                    : first;
                continue;
            }
            var counters = CountersOf(w);
            if (w.Accepted)
            {
                var contestant = w.Replayed ? w.ReplayContestant : w.Request.Contestant.Value;
                outcomes[i] = new VoteAccepted(w.VoteId, new EpisodeId(w.EpisodeId), new ContestantId(contestant),
                    w.Replayed ? w.ReplayContestantName ?? "" : w.Entry!.Name,
                    _totals.GetValueOrDefault((w.EpisodeId, contestant)), counters, w.Points, w.Replayed);
                continue;
            }
            var refusal = w.Refusal ?? VoteRefusal.IdempotencyKeyReused;
            outcomes[i] = new VoteRefused(refusal, refusal switch
            {
                VoteRefusal.FreeVoteLimitExceeded => counters.FreeVotesRemaining,
                VoteRefusal.InsufficientVoteBalance => counters.VoteBalance,
                VoteRefusal.InsufficientBundleVotes => counters.BundleVotes,
                VoteRefusal.SmsLimitExceeded => counters.SmsVotesAvailable,
                _ => 0,
            });
        }
        return outcomes;
    }

    private VoterCounters CountersOf(VoteWork w)
    {
        var voter = w.Command.Voter.Value;
        var free = _freeUsed.GetValueOrDefault((voter, w.EpisodeId));
        return new VoterCounters(Math.Max(0, VoteRules.FreeVotesPerEpisode - free), _balance.GetValueOrDefault(voter),
            Math.Max(0, VoteRules.SmsVotesPerDay - _smsUsed.GetValueOrDefault(voter)),
            _bundles.GetValueOrDefault(voter)?.Sum(b => b.Remaining) ?? 0);
    }
}
