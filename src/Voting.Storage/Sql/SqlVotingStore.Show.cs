using System.Data.Common;
using Voting.Domain;
using Voting.Domain.Results;
using Voting.Domain.Show;
using Voting.Domain.Voting;

namespace Voting.Storage.Sql;

/// <summary>
/// The live show: every transition runs the domain's state machine inside one transaction under
/// the voting-window lock, writes the show row, the episode's voting window (what the vote batch
/// judges) and a transition row together, and tells other nodes on commit.
/// </summary>
public abstract partial class SqlVotingStore
{
    /// <summary>How long an applied signal's answer is kept: past the replay window a signal is refused anyway.</summary>
    private const long SignalKeepSeconds = 600;

    private const string ShowSelect =
        """
        SELECT e.id, e.title, e.voting_start, e.voting_end, s.state, s.performer_id, s.song_name, s.closed_reason,
            s.results_digest, s.results_votes, COALESCE(s.version, 0), COALESCE(s.updated_at, e.created_at),
            c.name, ec.ballot_number, c.photo_url, e.voting_state
        FROM episodes e
        LEFT JOIN episode_shows s ON s.episode_id = e.id
        LEFT JOIN contestants c ON c.id = s.performer_id
        LEFT JOIN episode_contestants ec ON ec.episode_id = e.id AND ec.contestant_id = s.performer_id
        """;

    /// <summary>Tells other nodes, on commit, that an episode's show changed (PostgreSQL NOTIFY).</summary>
    protected virtual Task ShowChangedAsync(DbConnection c, DbTransaction tx, long episode, CancellationToken ct) => Task.CompletedTask;

    public Task<ShowRecord?> GetShowAsync(EpisodeId episode, CancellationToken ct) =>
        ReadAsync(c => ShowAsync(c, null, episode.Value, ct), ct);

    public Task<IReadOnlyList<ShowRecord>> GetShowsInAsync(IReadOnlyCollection<ShowState> states, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<ShowRecord>>(async c =>
        {
            var names = string.Join(", ", states.Select(s => $"'{ShowWire.Name(s)}'"));
            return states.Count == 0 ? [] : await QueryAsync(c, null, $"{ShowSelect} WHERE s.state IN ({names}) ORDER BY e.id", MapShow, ct);
        }, ct);

    private async Task<ShowRecord?> ShowAsync(DbConnection c, DbTransaction? tx, long episode, CancellationToken ct)
    {
        var rows = await QueryAsync(c, tx, $"{ShowSelect} WHERE e.id = $1", MapShow, ct, episode);
        return rows.Count == 0 ? null : rows[0];
    }

    private static ShowRecord MapShow(DbDataReader r)
    {
        var stateText = r.S(4);
        // An episode no transition has touched yet is idle.
        var state = ShowWire.TryParseState(stateText, out var s) ? s : ShowState.Idle;
        CloseReason? reason = ShowWire.TryParseReason(r.S(7), out var why) ? why : null;
        var performerId = r.NL(5);
        var status = new ShowStatus(state, performerId is { } p ? new ContestantId(p) : null, r.S(6), r.T(2), r.T(3), reason, r.S(8), r.NL(9));
        var performer = performerId is { } id && r.S(12) is { } name
            ? new ShowPerformer(new ContestantId(id), name, (int)r.L(13), r.S(14), r.S(6))
            : null;
        return new ShowRecord(new EpisodeId(r.GetInt64(0)), r.GetString(1), status, performer, r.L(10), r.T(11)!.Value);
    }

    public Task<ShowChange> ChangeShowAsync(EpisodeId episode, ShowCommand command, string actor, SignalReceipt? signal, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            await LockVotingWindowsAsync(c, tx, ct);
            if (signal is not null)
            {
                var stored = await QueryAsync(c, tx, "SELECT status, response FROM broadcast_signals WHERE signature_key = $1",
                    r => new SignalAnswer((int)r.L(0), r.GetString(1)), ct, signal.Key);
                if (stored.Count > 0) return new ShowChange(ShowChangeStatus.Replayed, Replay: stored[0]);
            }
            var current = await ShowAsync(c, tx, episode.Value, ct);
            if (current is null) return new ShowChange(ShowChangeStatus.NotFound);
            var now = Time.GetUtcNow();

            if (command is StartPerformance p)
            {
                var song = await QueryAsync(c, tx, "SELECT song_performed FROM episode_contestants WHERE episode_id = $1 AND contestant_id = $2",
                    r => r.S(0), ct, episode.Value, p.Contestant.Value);
                if (song.Count == 0) return new ShowChange(ShowChangeStatus.NotInLineup, current);
                command = p with { Song = p.Song ?? song[0] };
            }
            var step = ShowMachine.Apply(current.Status, command, now);
            if (step.Next is not { } next) return new ShowChange(ShowChangeStatus.Refused, current, step.Refusal);

            var alsoClosed = new List<EpisodeId>();
            if (command is OpenVoting)
            {
                var open = await QueryAsync(c, tx, "SELECT id, voting_end FROM episodes WHERE voting_state = 'open' AND id <> $1 ORDER BY id",
                    r => (Id: r.GetInt64(0), End: r.T(1)), ct, episode.Value);
                if (open.FirstOrDefault(o => o.End is null || o.End > now) is { Id: > 0 } other)
                    return new ShowChange(ShowChangeStatus.OtherEpisodeOpen, current, OtherEpisode: other.Id);
                // A window whose end has passed is over even if no clock has closed it yet: close it now.
                foreach (var expired in open)
                {
                    var shown = await ShowAsync(c, tx, expired.Id, ct);
                    if (shown is not null && ShowMachine.Apply(shown.Status, new CloseVoting(CloseReason.Timer), now).Next is { } closed)
                    {
                        await WriteShowAsync(c, tx, shown, new CloseVoting(CloseReason.Timer), closed, "timer", now, ct);
                        alsoClosed.Add(shown.Episode);
                    }
                }
            }
            await WriteShowAsync(c, tx, current, command, next, actor, now, ct);
            var after = (await ShowAsync(c, tx, episode.Value, ct))!;
            if (signal is not null)
            {
                var answer = signal.Answer(after);
                await ExecAsync(c, tx, "DELETE FROM broadcast_signals WHERE signed_at < $1", ct, now.ToUnixTimeSeconds() - SignalKeepSeconds);
                await ExecAsync(c, tx,
                    "INSERT INTO broadcast_signals (signature_key, signed_at, episode_id, status, response, received_at) VALUES ($1, $2, $3, $4, $5, $6)",
                    ct, signal.Key, signal.SignedAt, episode.Value, answer.Status, answer.Body, now.ToUnixTimeMilliseconds());
            }
            return new ShowChange(ShowChangeStatus.Applied, after, AlsoClosed: alsoClosed);
        }, ct);

    private async Task WriteShowAsync(DbConnection c, DbTransaction tx, ShowRecord current, ShowCommand command, ShowStatus next, string actor,
        DateTimeOffset now, CancellationToken ct)
    {
        var e = current.Episode.Value;
        var version = current.Version + 1;
        var nowMs = now.ToUnixTimeMilliseconds();
        await ExecAsync(c, tx,
            """
            INSERT INTO episode_shows (episode_id, state, performer_id, song_name, closed_reason, results_digest, results_votes, version, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (episode_id) DO UPDATE SET state = excluded.state, performer_id = excluded.performer_id, song_name = excluded.song_name,
                closed_reason = excluded.closed_reason, results_digest = excluded.results_digest, results_votes = excluded.results_votes,
                version = excluded.version, updated_at = excluded.updated_at
            """,
            ct, e, ShowWire.Name(next.State), SqlArg.Int(next.Performer?.Value), SqlArg.Text(next.Song),
            SqlArg.Text(next.ClosedReason is { } r ? ShowWire.Name(r) : null), SqlArg.Text(next.ResultsDigest), SqlArg.Int(next.ResultsVotes),
            version, nowMs);
        var votingState = next.VotingStart is null ? EpisodeStates.Idle : next.State == ShowState.VotingOpen ? EpisodeStates.Open : EpisodeStates.Closed;
        await ExecAsync(c, tx, "UPDATE episodes SET voting_state = $2, voting_start = $3, voting_end = $4 WHERE id = $1",
            ct, e, votingState, SqlArg.Int(next.VotingStart?.ToUnixTimeMilliseconds()), SqlArg.Int(next.VotingEnd?.ToUnixTimeMilliseconds()));
        await ExecAsync(c, tx,
            "INSERT INTO show_transitions (episode_id, version, event, from_state, to_state, actor, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            ct, e, version, command.Name, ShowWire.Name(current.State), ShowWire.Name(next.State), actor, nowMs);
        await ShowChangedAsync(c, tx, e, ct);
    }

    public Task<LiveTallies> GetLiveTalliesAsync(EpisodeId episode, long fromMinute, CancellationToken ct) =>
        SnapshotAsync(async (c, tx) =>
        {
            var e = episode.Value;
            var totals = (await QueryAsync(c, tx,
                "SELECT contestant_id, CAST(SUM(votes) AS BIGINT) FROM tallies WHERE episode_id = $1 GROUP BY contestant_id",
                r => (Id: new ContestantId(r.GetInt64(0)), Votes: r.L(1)), ct, e)).ToDictionary(x => x.Id, x => x.Votes);
            var minutes = await QueryAsync(c, tx,
                "SELECT contestant_id, minute, CAST(SUM(votes) AS BIGINT) FROM minute_tallies WHERE episode_id = $1 AND minute >= $2 GROUP BY contestant_id, minute",
                r => new MinuteVotes(new ContestantId(r.GetInt64(0)), r.L(1), r.L(2)), ct, e, fromMinute);
            var asOf = SqlValue.Time(await ScalarAsync(c, tx,
                "SELECT MAX(last_at) FROM minute_tallies WHERE episode_id = $1 AND minute = (SELECT MAX(minute) FROM minute_tallies WHERE episode_id = $1)",
                ct, e));
            return new LiveTallies(totals, minutes, asOf);
        }, ct);

    /// <summary>How far back from the episode's newest vote the contestant channel looks, so a quiet contestant never costs a scan of the whole ledger.</summary>
    private const long RecentVotesScan = 20_000;

    public Task<IReadOnlyList<RecentVote>> GetRecentVotesAsync(EpisodeId episode, ContestantId contestant, int limit, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<RecentVote>>(async c => await QueryAsync(c, null,
            """
            SELECT r.display_name, r.phone, v.vote_count, v.vote_type, v.created_at
            FROM votes v JOIN voters r ON r.id = v.voter_id
            WHERE v.episode_id = $1 AND v.contestant_id = $2 AND NOT EXISTS (SELECT 1 FROM vote_voids vv WHERE vv.vote_id = v.id)
                AND v.id > COALESCE((SELECT MAX(id) FROM votes WHERE episode_id = $1), 0) - $4
            ORDER BY v.id DESC LIMIT $3
            """,
            r => new RecentVote(r.S(0), r.GetString(1), (int)r.L(2), VoteTypes.TryParse(r.GetString(3), out var t) ? t : VoteType.Free, r.T(4)!.Value),
            ct, episode.Value, contestant.Value, limit, RecentVotesScan), ct);
}
