using Voting.Domain;
using Voting.Domain.Phones;
using Voting.Domain.Voting;

namespace Voting.Storage.Sql;

/// <summary>
/// Builds the statements of one vote batch and reads their results back. Pure bookkeeping:
/// it never touches a connection, so the same steps run on SQLite and PostgreSQL.
/// </summary>
internal sealed class VoteBatch
{
    private const string OpenEpisode = "(SELECT id FROM episodes WHERE voting_state = 'open' ORDER BY id DESC LIMIT 1)";
    private const string LineupSql =
        "SELECT ec.contestant_id, c.name, ec.ballot_number, c.status FROM episode_contestants ec JOIN contestants c ON c.id = ec.contestant_id WHERE ec.episode_id = ";

    private readonly VoteWork[] _work;
    private readonly DateTimeOffset _now;
    private readonly long _nowMs;
    private readonly StorageOptions _options;
    private readonly string _forShare;
    private readonly string _forUpdate;
    private readonly string _smsDay;

    private readonly List<long> _episodeIds;
    private readonly List<long> _voterIds;
    private readonly List<int> _keyed;
    private readonly bool _needsOpen;

    private long _openEpisode;
    private readonly Dictionary<long, EpisodeWindow> _windows = [];
    private readonly Dictionary<long, Dictionary<long, LineupEntry>> _lineups = [];
    private readonly Dictionary<long, (string Phone, bool Verified)> _voters = [];
    private readonly HashSet<long> _existingContestants = [];
    private readonly Dictionary<(long Voter, long Episode), VoterCounters> _counters = [];
    private readonly Dictionary<(long Episode, long Contestant), long> _contestantVotes = [];
    private List<int> _conflicted = [];

    public VoteBatch(IReadOnlyList<VoteCommand> commands, DateTimeOffset now, StorageOptions options, string forShare, string forUpdate)
    {
        _work = commands.Select(c => new VoteWork(c)).ToArray();
        _now = now;
        _nowMs = now.ToUnixTimeMilliseconds();
        _options = options;
        _forShare = forShare;
        _forUpdate = forUpdate;
        _smsDay = VoteRules.PhnomPenhDay(now);
        _needsOpen = commands.Any(c => c.Episode is null);
        _episodeIds = commands.Where(c => c.Episode is not null).Select(c => c.Episode!.Value.Value).Distinct().ToList();
        // Voters are locked first and in id order, so concurrent batches never deadlock on their rows.
        _voterIds = commands.Select(c => c.Voter.Value).Distinct().Order().ToList();
        _keyed = Enumerable.Range(0, _work.Length).Where(i => commands[i].IdempotencyKey is not null).ToList();
    }

    // Step 1: context ---------------------------------------------------------------------

    public List<Statement> ContextStatements()
    {
        var s = new List<Statement>();
        if (_needsOpen)
        {
            s.Add(new($"SELECT id, voting_state, voting_start, voting_end FROM episodes WHERE id = {OpenEpisode}{_forShare}"));
            s.Add(new(LineupSql + OpenEpisode));
        }
        foreach (var e in _episodeIds)
        {
            s.Add(new($"SELECT id, voting_state, voting_start, voting_end FROM episodes WHERE id = $1{_forShare}", e));
            s.Add(new(LineupSql + "$1", e));
        }
        foreach (var v in _voterIds) s.Add(new($"SELECT id, phone, phone_verified_at FROM voters WHERE id = $1{_forUpdate}", v));
        foreach (var i in _keyed)
        {
            var c = _work[i].Command;
            s.Add(new(ExistingVoteSql, c.Voter.Value, c.IdempotencyKey));
        }
        return s;
    }

    private const string ExistingVoteSql =
        "SELECT v.id, v.request_hash, v.contestant_id, v.episode_id, v.loyalty_points, c.name FROM votes v JOIN contestants c ON c.id = v.contestant_id WHERE v.voter_id = $1 AND v.idempotency_key = $2";

    public void ReadContext(StatementResult[] r)
    {
        var k = 0;
        if (_needsOpen)
        {
            var w = ReadWindow(r[k++]);
            var lineup = ReadLineup(r[k++]);
            if (w is not null)
            {
                _openEpisode = w.Id.Value;
                _windows[_openEpisode] = w;
                _lineups[_openEpisode] = lineup;
            }
        }
        foreach (var e in _episodeIds)
        {
            var w = ReadWindow(r[k++]);
            var lineup = ReadLineup(r[k++]);
            if (w is not null)
            {
                _windows[e] = w;
                _lineups[e] = lineup;
            }
        }
        foreach (var v in _voterIds)
        {
            if (r[k++].FirstRow is { } row) _voters[v] = ((string)row[1]!, row[2] is not null);
        }
        var seenKeys = new Dictionary<(long, string), int>();
        foreach (var i in _keyed)
        {
            var w = _work[i];
            var existing = r[k++].FirstRow;
            var key = (w.Command.Voter.Value, w.Command.IdempotencyKey!);
            if (existing is not null) ApplyExisting(w, existing);
            else if (seenKeys.TryGetValue(key, out var first)) w.DuplicateOf = first;
            else seenKeys[key] = i;
        }
    }

    private static EpisodeWindow? ReadWindow(StatementResult r) => r.FirstRow is { } row
        ? new EpisodeWindow(new EpisodeId(SqlValue.Long(row[0])), (string)row[1]!, SqlValue.Time(row[2]), SqlValue.Time(row[3]))
        : null;

    private static Dictionary<long, LineupEntry> ReadLineup(StatementResult r) => r.Rows.ToDictionary(
        row => SqlValue.Long(row[0]),
        row => new LineupEntry(new ContestantId(SqlValue.Long(row[0])), (string)row[1]!, (int)SqlValue.Long(row[2]), (string)row[3]! == "eliminated"));

    private static void ApplyExisting(VoteWork w, object?[] row)
    {
        if (!string.Equals(SqlValue.Text(row[1]), w.Command.RequestHash, StringComparison.Ordinal))
        {
            w.Refusal = VoteRefusal.IdempotencyKeyReused;
            return;
        }
        w.Replayed = true;
        w.VoteId = SqlValue.Long(row[0]);
        w.ReplayContestant = SqlValue.Long(row[2]);
        w.EpisodeId = SqlValue.Long(row[3]);
        w.Points = (int)SqlValue.Long(row[4]);
        w.ReplayContestantName = SqlValue.Text(row[5]);
    }

    // Step 1b: which unknown contestants exist at all (only when a line-up lacks one) ---------

    public List<Statement> ContestantExistenceStatements()
    {
        foreach (var w in _work)
        {
            if (w.Replayed || w.Refusal is not null || w.DuplicateOf >= 0) continue;
            w.EpisodeId = w.Command.Episode?.Value ?? _openEpisode;
            if (_lineups.TryGetValue(w.EpisodeId, out var lineup) && lineup.TryGetValue(w.Request.Contestant.Value, out var entry))
                w.Entry = entry;
            else w.NeedsExistenceCheck = true;
        }
        return _work.Where(w => w.NeedsExistenceCheck).Select(w => w.Request.Contestant.Value).Distinct()
            .Select(id => new Statement("SELECT id FROM contestants WHERE id = $1", id)).ToList();
    }

    public void ReadContestantExistence(StatementResult[] r)
    {
        foreach (var row in r.Select(x => x.FirstRow).OfType<object?[]>()) _existingContestants.Add(SqlValue.Long(row[0]));
    }

    public void Judge()
    {
        foreach (var w in _work)
        {
            if (w.Replayed || w.Refusal is not null || w.DuplicateOf >= 0) continue;
            if (!_voters.TryGetValue(w.Command.Voter.Value, out var voter))
            {
                w.Refusal = VoteRefusal.VoterNotFound;
                continue;
            }
            if (w.Command.Episode is null && _openEpisode == 0)
            {
                // "The episode whose voting is open" when none is: voting is closed, not a missing episode.
                w.Refusal = VoteRefusal.VotingClosed;
                continue;
            }
            _windows.TryGetValue(w.EpisodeId, out var window);
            var exists = !w.NeedsExistenceCheck || _existingContestants.Contains(w.Request.Contestant.Value);
            w.Refusal = VoteRules.Check(w.Request, window, w.Entry, exists, voter.Verified, _now);
            if (w.Refusal is null && w.Request.Type == VoteType.Sms)
            {
                w.Carrier = PhoneNumber.CarrierOf(voter.Phone).ToString().ToLowerInvariant();
                w.AmountCents = _options.SmsPriceFor(w.Carrier) * w.Request.Count;
            }
        }
    }

    private IEnumerable<VoteWork> Proceeding => _work.Where(w => w.Refusal is null && !w.Replayed && w.DuplicateOf < 0);

    // Step 2: limits, by conditional updates ------------------------------------------------

    private readonly List<VoteWork> _debiting = [];

    public List<Statement> DebitStatements()
    {
        var s = new List<Statement>();
        foreach (var w in Proceeding)
        {
            _debiting.Add(w);
            s.Add(Debit(w, w.Request.Count));
        }
        return s;
    }

    private Statement Debit(VoteWork w, int n)
    {
        var voter = w.Command.Voter.Value;
        return w.Request.Type switch
        {
            VoteType.Free => new(
                """
                INSERT INTO voter_episode (voter_id, episode_id, free_used, paid_cast, votes_cast) VALUES ($1, $2, $3, 0, 0)
                ON CONFLICT (voter_id, episode_id) DO UPDATE SET free_used = voter_episode.free_used + excluded.free_used
                WHERE voter_episode.free_used + excluded.free_used <= $4
                RETURNING free_used
                """, voter, w.EpisodeId, n, VoteRules.FreeVotesPerEpisode),
            VoteType.Paid => new("UPDATE voters SET vote_balance = vote_balance - $2 WHERE id = $1 AND vote_balance >= $2 RETURNING vote_balance", voter, n),
            VoteType.Bundle => new(
                """
                UPDATE bundles SET remaining_votes = remaining_votes - $2
                WHERE id = (SELECT id FROM bundles WHERE voter_id = $1 AND remaining_votes >= $2 ORDER BY id LIMIT 1) AND remaining_votes >= $2
                RETURNING id
                """, voter, n),
            VoteType.Sms => new(
                """
                INSERT INTO voter_daily_sms (voter_id, day, used) VALUES ($1, $2, $3)
                ON CONFLICT (voter_id, day) DO UPDATE SET used = voter_daily_sms.used + excluded.used
                WHERE voter_daily_sms.used + excluded.used <= $4
                RETURNING used
                """, voter, _smsDay, n, VoteRules.SmsVotesPerDay),
            _ => throw new InvalidOperationException(),
        };
    }

    private Statement Refund(VoteWork w)
    {
        var voter = w.Command.Voter.Value;
        var n = w.Request.Count;
        return w.Request.Type switch
        {
            VoteType.Free => new("UPDATE voter_episode SET free_used = free_used - $3 WHERE voter_id = $1 AND episode_id = $2", voter, w.EpisodeId, n),
            VoteType.Paid => new("UPDATE voters SET vote_balance = vote_balance + $2 WHERE id = $1", voter, n),
            VoteType.Bundle => new("UPDATE bundles SET remaining_votes = remaining_votes + $2 WHERE id = $1", w.BundleId, n),
            VoteType.Sms => new("UPDATE voter_daily_sms SET used = used - $3 WHERE voter_id = $1 AND day = $2", voter, _smsDay, n),
            _ => throw new InvalidOperationException(),
        };
    }

    public void ReadDebits(StatementResult[] r)
    {
        for (var i = 0; i < _debiting.Count; i++)
        {
            var w = _debiting[i];
            if (r[i].FirstRow is { } row)
            {
                w.Debited = true;
                if (w.Request.Type == VoteType.Bundle) w.BundleId = SqlValue.Long(row[0]);
            }
            else
            {
                w.Refusal = w.Request.Type switch
                {
                    VoteType.Free => VoteRefusal.FreeVoteLimitExceeded,
                    VoteType.Paid => VoteRefusal.InsufficientVoteBalance,
                    VoteType.Bundle => VoteRefusal.InsufficientBundleVotes,
                    _ => VoteRefusal.SmsLimitExceeded,
                };
            }
        }
    }

    // Step 3: the ledger rows ----------------------------------------------------------------

    private readonly List<VoteWork> _inserting = [];

    public List<Statement> InsertStatements()
    {
        var s = new List<Statement>();
        foreach (var w in _debiting.Where(w => w.Debited))
        {
            var c = w.Command;
            w.Points = VoteRules.LoyaltyPoints(w.Request.Type, w.Request.Count);
            _inserting.Add(w);
            s.Add(new(
                """
                INSERT INTO votes (voter_id, episode_id, contestant_id, vote_type, vote_count, amount_cents, currency, payment_method,
                    bundle_id, transaction_id, idempotency_key, request_hash, loyalty_points, ip, user_agent, device_id, app_version, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
                ON CONFLICT (voter_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                RETURNING id
                """,
                c.Voter.Value, w.EpisodeId, w.Request.Contestant.Value, w.Request.Type.ToWire(), w.Request.Count, w.AmountCents,
                SqlArg.Text(w.Carrier is null ? null : _options.SmsCurrency), w.Request.Type.PaymentMethod(),
                SqlArg.Int(w.BundleId == 0 ? null : w.BundleId), c.TransactionId, c.IdempotencyKey, c.RequestHash, w.Points,
                c.Client.Ip, c.Client.UserAgent, c.Client.DeviceId, c.Client.AppVersion, _nowMs));
        }
        return s;
    }

    public void ReadInserts(StatementResult[] r)
    {
        for (var i = 0; i < _inserting.Count; i++)
        {
            if (r[i].FirstRow is { } row) _inserting[i].VoteId = SqlValue.Long(row[0]);
            else _inserting[i].Debited = false; // another node committed the same key first
        }
        _conflicted = Enumerable.Range(0, _inserting.Count).Where(i => !_inserting[i].Debited).ToList();
    }

    /// <summary>For keys another node won meanwhile: give the limit back and answer as that vote did.</summary>
    public List<Statement> ConflictStatements()
    {
        var s = new List<Statement>();
        foreach (var w in _conflicted.Select(i => _inserting[i]))
        {
            s.Add(Refund(w));
            s.Add(new(ExistingVoteSql, w.Command.Voter.Value, w.Command.IdempotencyKey));
        }
        return s;
    }

    public void ReadConflicts(StatementResult[] r)
    {
        for (var j = 0; j < _conflicted.Count; j++)
        {
            var w = _inserting[_conflicted[j]];
            if (r[2 * j + 1].FirstRow is { } row) ApplyExisting(w, row);
            else w.Refusal = VoteRefusal.IdempotencyKeyReused;
        }
    }

    // Step 4: projections and counters --------------------------------------------------------

    private readonly List<(long Voter, long Episode)> _counterKeys = [];
    private readonly List<(long Episode, long Contestant)> _contestantKeys = [];

    public List<Statement> ProjectionStatements()
    {
        var s = new List<Statement>();
        var committed = _inserting.Where(w => w.Debited).ToList();
        foreach (var g in committed.GroupBy(w => (Voter: w.Command.Voter.Value, Episode: w.EpisodeId)))
        {
            s.Add(new(
                """
                INSERT INTO voter_episode (voter_id, episode_id, free_used, paid_cast, votes_cast) VALUES ($1, $2, 0, $3, $4)
                ON CONFLICT (voter_id, episode_id) DO UPDATE SET paid_cast = voter_episode.paid_cast + excluded.paid_cast,
                    votes_cast = voter_episode.votes_cast + excluded.votes_cast
                """, g.Key.Voter, g.Key.Episode, (long)g.Where(w => w.Request.Type == VoteType.Paid).Sum(w => w.Request.Count),
                (long)g.Sum(w => w.Request.Count)));
        }
        foreach (var g in committed.GroupBy(w => w.Command.Voter.Value))
            s.Add(new("UPDATE voters SET loyalty_points = loyalty_points + $2 WHERE id = $1", g.Key, (long)g.Sum(w => w.Points)));
        foreach (var g in committed.GroupBy(w => (w.EpisodeId, w.Request.Contestant.Value, w.Request.Type)).OrderBy(g => g.Key))
        {
            s.Add(new(
                """
                INSERT INTO tallies (episode_id, contestant_id, vote_type, shard, votes) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (episode_id, contestant_id, vote_type, shard) DO UPDATE SET votes = tallies.votes + excluded.votes
                """, g.Key.EpisodeId, g.Key.Value, g.Key.Type.ToWire(), _options.TallyShard, (long)g.Sum(w => w.Request.Count)));
        }
        foreach (var g in committed.GroupBy(w => w.EpisodeId).OrderBy(g => g.Key))
        {
            s.Add(new(
                """
                INSERT INTO hourly_tallies (episode_id, hour, shard, votes) VALUES ($1, $2, $3, $4)
                ON CONFLICT (episode_id, hour, shard) DO UPDATE SET votes = hourly_tallies.votes + excluded.votes
                """, g.Key, _nowMs / 3_600_000, _options.TallyShard, (long)g.Sum(w => w.Request.Count)));
        }
        foreach (var w in committed.Where(w => w.Carrier is not null))
        {
            s.Add(new("INSERT INTO carrier_charges (vote_id, voter_id, carrier, amount_cents, currency, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
                w.VoteId, w.Command.Voter.Value, w.Carrier, w.AmountCents, _options.SmsCurrency, _nowMs));
        }
        foreach (var w in _work.Where(w => w.Refusal is not VoteRefusal.VoterNotFound))
        {
            var key = (w.Command.Voter.Value, w.EpisodeId);
            if (_counterKeys.Contains(key)) continue;
            _counterKeys.Add(key);
            s.Add(new(
                """
                SELECT v.vote_balance,
                    COALESCE((SELECT free_used FROM voter_episode WHERE voter_id = $1 AND episode_id = $2), 0),
                    COALESCE((SELECT used FROM voter_daily_sms WHERE voter_id = $1 AND day = $3), 0),
                    CAST(COALESCE((SELECT SUM(remaining_votes) FROM bundles WHERE voter_id = $1), 0) AS BIGINT)
                FROM voters v WHERE v.id = $1
                """, key.Item1, key.Item2, _smsDay));
        }
        foreach (var w in _work.Where(w => w.Accepted))
        {
            var key = (w.EpisodeId, w.Replayed ? w.ReplayContestant : w.Request.Contestant.Value);
            if (_contestantKeys.Contains(key)) continue;
            _contestantKeys.Add(key);
            s.Add(new("SELECT CAST(COALESCE(SUM(votes), 0) AS BIGINT) FROM tallies WHERE episode_id = $1 AND contestant_id = $2", key.Item1, key.Item2));
        }
        _projectionCount = s.Count - _counterKeys.Count - _contestantKeys.Count;
        return s;
    }

    private int _projectionCount;

    public void ReadProjections(StatementResult[] r)
    {
        var k = _projectionCount;
        foreach (var key in _counterKeys)
        {
            var row = r[k++].FirstRow;
            if (row is null) continue;
            _counters[key] = new VoterCounters(
                Math.Max(0, VoteRules.FreeVotesPerEpisode - SqlValue.Long(row[1])), SqlValue.Long(row[0]),
                Math.Max(0, VoteRules.SmsVotesPerDay - SqlValue.Long(row[2])), SqlValue.Long(row[3]));
        }
        foreach (var key in _contestantKeys) _contestantVotes[key] = SqlValue.Long(r[k++].FirstRow![0]);
    }

    // Outcomes ------------------------------------------------------------------------------

    public IReadOnlyList<VoteOutcome> Outcomes()
    {
        var outcomes = new VoteOutcome[_work.Length];
        for (var i = 0; i < _work.Length; i++)
        {
            var w = _work[i];
            if (w.DuplicateOf >= 0)
            {
                var first = outcomes[w.DuplicateOf];
                outcomes[i] = first is VoteAccepted a && string.Equals(w.Command.RequestHash, _work[w.DuplicateOf].Command.RequestHash, StringComparison.Ordinal)
                    ? a with { Replayed = true }
                    : first is VoteAccepted ? new VoteRefused(VoteRefusal.IdempotencyKeyReused, 0) : first;
                continue;
            }
            _counters.TryGetValue((w.Command.Voter.Value, w.EpisodeId), out var counters);
            counters ??= new VoterCounters(0, 0, 0, 0);
            if (w.Accepted)
            {
                var contestant = w.Replayed ? w.ReplayContestant : w.Request.Contestant.Value;
                outcomes[i] = new VoteAccepted(w.VoteId, new EpisodeId(w.EpisodeId), new ContestantId(contestant),
                    w.Replayed ? w.ReplayContestantName ?? "" : w.Entry!.Name,
                    _contestantVotes.GetValueOrDefault((w.EpisodeId, contestant)), counters, w.Points, w.Replayed);
            }
            else
            {
                var refusal = w.Refusal ?? VoteRefusal.IdempotencyKeyReused;
                var remaining = refusal switch
                {
                    VoteRefusal.FreeVoteLimitExceeded => counters.FreeVotesRemaining,
                    VoteRefusal.InsufficientVoteBalance => counters.VoteBalance,
                    VoteRefusal.InsufficientBundleVotes => counters.BundleVotes,
                    VoteRefusal.SmsLimitExceeded => counters.SmsVotesAvailable,
                    _ => 0,
                };
                outcomes[i] = new VoteRefused(refusal, remaining);
            }
        }
        return outcomes;
    }
}
