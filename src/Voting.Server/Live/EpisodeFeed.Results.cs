using Voting.Domain;
using Voting.Domain.Results;
using Voting.Domain.Show;
using Voting.Domain.Voting;
using Voting.Server.Infrastructure;
using Voting.Server.Show;
using Voting.Storage;

namespace Voting.Server.Live;

public sealed partial class EpisodeFeed
{
    private volatile bool _dirty = true;
    private long? _builtAt;
    private LiveResultsDto? _results;
    private IReadOnlyList<RankedTally>? _ranking;
    // The ranking before _ranking: a snapshot whose tallies equal the last one's (rebuilt because a
    // commit marked the feed dirty after the last read had already seen its votes) keeps the last
    // one's rank changes, so a republished snapshot never flips a viewer's arrows back to 0.
    private IReadOnlyList<RankedTally>? _rankingBefore;
    private ResultsReadyDto? _final;
    private Dictionary<long, VoteUpdateDto> _voteUpdates = [];
    private Dictionary<long, DetailedUpdateDto> _details = [];

    /// <summary>Votes were committed: the next pump rebuilds the snapshot.</summary>
    public void MarkDirty() => _dirty = true;

    /// <summary>
    /// Called by the hub's pump: rebuilds and publishes LIVE_RESULTS when votes changed, at most
    /// once per <see cref="LiveOptions.ResultsIntervalMs"/> and only while someone listens.
    /// </summary>
    public async Task PumpAsync(CancellationToken ct)
    {
        if (!_dirty || !_loaded || SubscriberCount == 0) return;
        if (_builtAt is { } built && _time.GetElapsedTime(built) < TimeSpan.FromMilliseconds(_options.ResultsIntervalMs)) return;
        await _work.WaitAsync(ct);
        try
        {
            await BuildResultsAsync(publish: true, ct);
        }
        finally
        {
            _work.Release();
        }
    }

    /// <summary>Reads the tallies once and publishes the snapshot and the contestant channels' updates (under _work).</summary>
    private async Task BuildResultsAsync(bool publish, CancellationToken ct)
    {
        _dirty = false;
        _builtAt = _time.GetTimestamp();
        var show = _show!;
        var now = _time.GetUtcNow();
        var reference = ReferenceTime(show, now);
        var tallies = await _store.GetLiveTalliesAsync(Episode, TrendWindows.FirstMinuteNeeded(TrendWindows.MinuteOf(reference)), ct);
        // The line-up too (a few rows): a contestant added or renamed mid-show appears as on the results endpoint.
        _lineup = await _catalog.GetLineupAsync(Episode, ct);
        var (results, ranking, windows) = Build(_lineup, tallies, _ranking, reference, ShowView.SecondsRemaining(show, now));
        if (_ranking is { } last && last.SequenceEqual(ranking))
            (results, ranking, windows) = Build(_lineup, tallies, _rankingBefore, reference, ShowView.SecondsRemaining(show, now));
        else
            (_rankingBefore, _ranking) = (_ranking, ranking);

        var updates = results.Results.ToDictionary(r => r.ContestantId, r => new VoteUpdateDto(r.ContestantId, r.Votes, r.Percentage, r.Rank));
        long[] watched;
        lock (_lock) watched = [.. _byContestant.Keys];
        var details = new Dictionary<long, DetailedUpdateDto>();
        foreach (var c in watched.Where(updates.ContainsKey))
        {
            var recent = await _store.GetRecentVotesAsync(Episode, new ContestantId(c), _options.RecentVotes, ct);
            var trending = ContestantTrend.Classify(windows.LastHour.GetValueOrDefault(new ContestantId(c)), windows.PreviousHour.GetValueOrDefault(new ContestantId(c)));
            details[c] = new DetailedUpdateDto(c,
                recent.Select(v => new RecentVoteDto(VoterMask.Mask(v.DisplayName, v.Phone), v.Count, v.Type.ToWire(), LiveJson.Time(v.At))).ToList(),
                ContestantTrend.WireName(trending));
        }

        lock (_lock)
        {
            _results = results;
            _voteUpdates = updates;
            _details = details;
            if (!publish) return;
            now = _time.GetUtcNow();
            Publish(Make(PushTypes.LiveResults, results, now, replaceKey: PushTypes.LiveResults));
            foreach (var (c, subscribers) in _byContestant)
            {
                if (updates.TryGetValue(c, out var update))
                    Publish(Make(PushTypes.VoteUpdate, update, now, replaceKey: PushTypes.VoteUpdate), subscribers);
                if (details.TryGetValue(c, out var detail))
                    Publish(Make(PushTypes.DetailedUpdate, detail, now, replaceKey: PushTypes.DetailedUpdate), subscribers);
            }
        }
    }

    /// <summary>The final, frozen results: trends as at the close, no rank changes (under _work).</summary>
    private async Task<ResultsReadyDto> BuildFinalAsync(ShowRecord show, CancellationToken ct)
    {
        var reference = ReferenceTime(show, _time.GetUtcNow());
        var tallies = await _store.GetLiveTalliesAsync(Episode, TrendWindows.FirstMinuteNeeded(TrendWindows.MinuteOf(reference)), ct);
        var (results, _, _) = Build(_lineup, tallies, null, reference, 0);
        var final = new ResultsReadyDto(results.Results, results.TotalVotes,
            new AuditRefDto(show.Status.ResultsDigest ?? "", show.Status.ResultsVotes ?? 0));
        lock (_lock) _final = final;
        return final;
    }

    /// <summary>Trends are read as at the close once voting has closed, so they stop drifting with the clock.</summary>
    private static DateTimeOffset ReferenceTime(ShowRecord show, DateTimeOffset now) =>
        show.State != ShowState.VotingOpen && show.Status.VotingEnd is { } end && end < now ? end : now;

    /// <summary>The LIVE_RESULTS data from the line-up and one snapshot of the tallies, by the domain's results maths.</summary>
    internal static (LiveResultsDto Results, IReadOnlyList<RankedTally> Ranking, TrendWindows Windows) Build(
        IReadOnlyList<LineupContestant> lineup, LiveTallies tallies, IReadOnlyList<RankedTally>? previous, DateTimeOffset reference, long secondsRemaining)
    {
        var windows = TrendWindows.From(tallies.Minutes, TrendWindows.MinuteOf(reference));
        var snapshot = LiveSnapshot.Build(
            lineup.Select(c => new ContestantTally(c.Id, c.BallotNumber, tallies.Totals.GetValueOrDefault(c.Id))).ToList(),
            previous, windows.LastFiveMinutes, windows.PreviousFiveMinutes, secondsRemaining);
        var byId = lineup.ToDictionary(c => c.Id);
        var items = snapshot.Results.Select(r =>
        {
            var c = byId[r.ContestantId];
            return new LiveResultDto(c.Id.Value, c.Name, c.BallotNumber, c.PhotoUrl, r.Votes, r.FormattedCount, r.Percentage, r.Rank, r.Change,
                Trend.WireName(r.Trend));
        }).ToList();
        var asOf = tallies.AsOf is { } t ? LiveJson.Time(t) : null;
        return (new LiveResultsDto(items, snapshot.TotalVotes, snapshot.TimeRemaining, asOf), snapshot.Ranking, windows);
    }
}
