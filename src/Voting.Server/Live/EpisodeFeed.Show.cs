using Voting.Domain.Show;
using Voting.Server.Infrastructure;
using Voting.Server.Show;
using Voting.Storage;

namespace Voting.Server.Live;

public sealed partial class EpisodeFeed
{
    private readonly ITimer _timer;
    private DateTimeOffset? _closesAt;
    private long _lastSecondSpoken;

    private readonly System.Threading.Channels.Channel<ShowRecord?> _showChanges =
        System.Threading.Channels.Channel.CreateUnbounded<ShowRecord?>(new() { SingleReader = true });
    private readonly CancellationTokenSource _disposed = new();

    /// <summary>
    /// The show changed: here (<paramref name="show"/> is the show after the change) or on another
    /// node (null: read it). Changes are applied one at a time in the order they come, so a
    /// change made here is published even if the next follows at once.
    /// </summary>
    public void ShowChanged(ShowRecord? show) => _showChanges.Writer.TryWrite(show);

    private async Task ApplyShowChangesAsync()
    {
        try
        {
            await foreach (var change in _showChanges.Reader.ReadAllAsync(_disposed.Token))
            {
                try
                {
                    await ApplyShowAsync(change, _disposed.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.LiveFailed(_logger, e, Episode.Value);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Publishes what a change means to viewers. Derived from the state before and after, so a
    /// node that missed a step in between (a lost notification) still says VOTING_CLOSED before
    /// RESULTS_READY.
    /// </summary>
    private async Task ApplyShowAsync(ShowRecord? changed, CancellationToken ct)
    {
        await _work.WaitAsync(ct);
        try
        {
            // Not loaded yet: the first viewer's load reads the show after this change anyway.
            if (!_loaded) return;
            var show = changed ?? await _store.GetShowAsync(Episode, ct);
            var old = _show!;
            if (show is null || show.Version <= old.Version) return;
            _lineup = await _catalog.GetLineupAsync(Episode, ct);
            var wasOpen = old.State == ShowState.VotingOpen;
            var isOpen = show.State == ShowState.VotingOpen;
            var final = show.Status.ResultsDigest is not null && old.Status.ResultsDigest is null ? await BuildFinalAsync(show, ct) : null;
            lock (_lock)
            {
                _show = show;
                // Armed before anything is published: a viewer who has seen VOTING_OPEN may count on the countdown already running.
                ArmWindowClock();
                var now = _time.GetUtcNow();
                if (!wasOpen && isOpen)
                {
                    var contestants = _lineup.Where(c => c.Status != "eliminated")
                        .Select(c => new VotingContestantDto(c.Id.Value, c.Name, c.BallotNumber, c.PhotoUrl)).ToList();
                    var s = show.Status;
                    Publish(Make(PushTypes.VotingOpen, new VotingOpenDto(LiveJson.Time(s.VotingStart!.Value), LiveJson.Time(s.VotingEnd!.Value),
                        ShowView.SecondsRemaining(show, now), contestants), now));
                }
                if (wasOpen && !isOpen && show.Status.VotingEnd is { } closedAt)
                {
                    var reason = ShowWire.Name(show.Status.ClosedReason ?? CloseReason.Timer);
                    Publish(Make(PushTypes.VotingClosed, new VotingClosedDto(LiveJson.Time(closedAt), reason), now));
                }
                if (final is not null) Publish(Make(PushTypes.ResultsReady, final, now));
                Publish(Make(PushTypes.StateUpdate, ShowView.ToDto(show, now), now));
            }
            // The window's opening or close changes time_remaining and the trends' reference: a fresh snapshot.
            if (wasOpen != isOpen) _dirty = true;
        }
        finally
        {
            _work.Release();
        }
    }

    // The window's clock: TIME_UPDATE, WARNING and COUNTDOWN, computed by every node from the
    // stored end. The close itself is the show clock's (one node).

    /// <summary>Sets the timer for the open window's next boundary, or stops it (under _lock).</summary>
    private void ArmWindowClock()
    {
        var end = _show!.State == ShowState.VotingOpen ? _show.Status.VotingEnd : null;
        if (end != _closesAt)
        {
            _closesAt = end;
            _lastSecondSpoken = end is { } e ? VotingClock.SecondsLeft(e, _time.GetUtcNow()) : 0;
        }
        ArmNext();
    }

    private void ArmNext()
    {
        if (_closesAt is not { } end || VotingClock.NextBoundary(_lastSecondSpoken) is not { } next)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var due = end - TimeSpan.FromSeconds(next) - _time.GetUtcNow();
        _timer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void OnTimer()
    {
        try
        {
            lock (_lock)
            {
                if (_closesAt is not { } end) return;
                var now = _time.GetUtcNow();
                var left = VotingClock.SecondsLeft(end, now);
                if (left < _lastSecondSpoken)
                {
                    _lastSecondSpoken = left;
                    foreach (var message in VotingClock.MessagesAt(left))
                    {
                        var type = message switch
                        {
                            TimerMessage.TimeUpdate => PushTypes.TimeUpdate,
                            TimerMessage.Warning => PushTypes.Warning,
                            _ => PushTypes.Countdown,
                        };
                        Publish(Make(type, new TimerDto(left, LiveJson.Time(end)), now));
                    }
                }
                ArmNext();
            }
        }
        catch (ObjectDisposedException)
        {
            // The host stopped while the timer fired.
        }
    }
}
