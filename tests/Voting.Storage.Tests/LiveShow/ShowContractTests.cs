using Voting.Domain;
using Voting.Domain.Show;
using Voting.Domain.Voting;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.LiveShow;

/// <summary>The show moves by the state machine, together with the voting window the vote batch judges.</summary>
public abstract class ShowContractTests(StoreKind kind) : VotingStoreContractTests(kind)
{
    private Task<ShowChange> ChangeAsync(EpisodeId episode, ShowCommand command, string actor = "test", SignalReceipt? signal = null) =>
        Store.ChangeShowAsync(episode, command, actor, signal, Ct);

    private async Task<ShowRecord> AppliedAsync(EpisodeId episode, ShowCommand command)
    {
        var change = await ChangeAsync(episode, command);
        Assert.True(change.Status == ShowChangeStatus.Applied, $"{command.Name}: {change.Status} {change.Refusal}");
        return change.Show!;
    }

    /// <summary>Everything a refused command must leave as it was.</summary>
    private async Task<string> FootprintAsync(EpisodeId episode)
    {
        var rows = await Database.QueryAsync(
            """
            SELECT e.voting_state, e.voting_start, e.voting_end, s.state, s.performer_id, s.song_name, s.version, s.updated_at,
                (SELECT COUNT(*) FROM show_transitions WHERE episode_id = e.id), (SELECT COUNT(*) FROM broadcast_signals)
            FROM episodes e LEFT JOIN episode_shows s ON s.episode_id = e.id WHERE e.id = $1
            """, episode.Value);
        return string.Join("|", rows[0].Select(v => v?.ToString() ?? "null"));
    }

    [Fact]
    public async Task AShowRunsThroughItsStatesAndEachTransitionIsRecordedWithTheWindow()
    {
        var show = await CreateShowAsync();
        await Store.AddToLineupAsync(show.Episode, new ContestantId(await Store.CreateContestantAsync(new NewContestant("Late", null, null, null, null, "http://x/p.jpg"), Ct)),
            9, "Lineup Song", Ct);
        var late = (await Store.GetLineupAsync(show.Episode, Ct)).Single(c => c.BallotNumber == 9).Id;
        var untouched = await Store.GetShowAsync(show.Episode, Ct);
        Assert.Equal((ShowState.Idle, 0L), (untouched!.State, untouched.Version));

        await AppliedAsync(show.Episode, new StartShow());
        var performing = await AppliedAsync(show.Episode, new StartPerformance(show.Contestants[1], "Champa Battambang"));
        var second = await AppliedAsync(show.Episode, new StartPerformance(late, null));
        await AppliedAsync(show.Episode, new EndPerformance());
        Clock.Advance(TimeSpan.FromMinutes(1));
        var open = await AppliedAsync(show.Episode, new OpenVoting(TimeSpan.FromMinutes(20)));
        var openWindow = (await Store.GetEpisodeAsync(show.Episode, Ct))!.Window;
        Clock.Advance(TimeSpan.FromMinutes(5));
        var closed = await AppliedAsync(show.Episode, new CloseVoting(CloseReason.Signal));
        var ready = await AppliedAsync(show.Episode, new AnnounceResults("abc123", 42));
        var ended = await AppliedAsync(show.Episode, new EndShow());

        Assert.Equal(new ShowPerformer(show.Contestants[1], "Singer 1.2", 2, null, "Champa Battambang"), performing.Performer);
        Assert.Equal(new ShowPerformer(late, "Late", 9, "http://x/p.jpg", "Lineup Song"), second.Performer);
        Assert.Equal(new EpisodeWindow(show.Episode, EpisodeStates.Open, ShowNight.AddMinutes(1), ShowNight.AddMinutes(21)), openWindow);
        Assert.Null(open.Performer);
        Assert.Equal((ShowState.VotingClosed, (CloseReason?)CloseReason.Signal, (DateTimeOffset?)ShowNight.AddMinutes(6)),
            (closed.State, closed.Status.ClosedReason, closed.Status.VotingEnd));
        Assert.Equal(new EpisodeWindow(show.Episode, EpisodeStates.Closed, ShowNight.AddMinutes(1), ShowNight.AddMinutes(6)),
            (await Store.GetEpisodeAsync(show.Episode, Ct))!.Window);
        Assert.Equal(("abc123", (long?)42), (ready.Status.ResultsDigest, ready.Status.ResultsVotes));
        Assert.Equal((ShowState.ShowEnded, 8L, ShowNight.AddMinutes(6)), (ended.State, ended.Version, ended.UpdatedAt));
        Assert.Equal(ended, await Store.GetShowAsync(show.Episode, Ct));
        var log = await Database.QueryAsync("SELECT version, event, from_state, to_state, actor FROM show_transitions WHERE episode_id = $1 ORDER BY id",
            show.Episode.Value);
        Assert.Equal(
        [
            "1 SHOW_START IDLE SHOW_STARTED", "2 PERFORMANCE_START SHOW_STARTED PERFORMANCE", "3 PERFORMANCE_START PERFORMANCE PERFORMANCE",
            "4 PERFORMANCE_END PERFORMANCE SHOW_STARTED", "5 VOTING_OPEN SHOW_STARTED VOTING_OPEN", "6 VOTING_CLOSE VOTING_OPEN VOTING_CLOSED",
            "7 RESULTS_READY VOTING_CLOSED RESULTS_READY", "8 SHOW_END RESULTS_READY SHOW_ENDED",
        ], log.Select(r => $"{r[0]} {r[1]} {r[2]} {r[3]}"));
        Assert.All(log, r => Assert.Equal("test", r[4]));
    }

    [Fact]
    public async Task AnIllegalTransitionOrAStrangerOnStageChangesNothing()
    {
        var show = await CreateShowAsync();
        await AppliedAsync(show.Episode, new StartShow());
        var stranger = new ContestantId(await Store.CreateContestantAsync(new NewContestant("Stranger", null, null, null, null, null), Ct));
        var before = await FootprintAsync(show.Episode);

        var results = new[]
        {
            await ChangeAsync(show.Episode, new StartShow()),
            await ChangeAsync(show.Episode, new EndPerformance()),
            await ChangeAsync(show.Episode, new CloseVoting(CloseReason.Signal)),
            await ChangeAsync(show.Episode, new AnnounceResults("x", 1)),
        };
        var notInLineup = await ChangeAsync(show.Episode, new StartPerformance(stranger, null));
        var missing = await ChangeAsync(new EpisodeId(987_654), new StartShow());

        Assert.All(results, r => Assert.Equal((ShowChangeStatus.Refused, (ShowRefusal?)ShowRefusal.InvalidTransition), (r.Status, r.Refusal)));
        Assert.All(results, r => Assert.Equal(ShowState.ShowStarted, r.Show!.State));
        Assert.Equal(ShowChangeStatus.NotInLineup, notInLineup.Status);
        Assert.Equal(ShowChangeStatus.NotFound, missing.Status);
        Assert.Equal(before, await FootprintAsync(show.Episode));
    }

    [Fact]
    public async Task ATimerCloseBeforeTheEndIsNotDueAndAtTheEndClosesOnTheEndAndRefusesLaterVotes()
    {
        var show = await OpenShowAsync(window: TimeSpan.FromMinutes(10));
        var voter = await SignInAsync();
        Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        var before = await FootprintAsync(show.Episode);

        var early = await ChangeAsync(show.Episode, new CloseVoting(CloseReason.Timer));
        Assert.Equal(before, await FootprintAsync(show.Episode));
        Accepted(await CommitOneAsync(Vote(voter, show.Contestants[0], episode: show.Episode)));
        Clock.Advance(TimeSpan.FromSeconds(7));
        var onTime = await ChangeAsync(show.Episode, new CloseVoting(CloseReason.Timer), "timer@node-1");

        Assert.Equal((ShowChangeStatus.Refused, (ShowRefusal?)ShowRefusal.NotDue), (early.Status, early.Refusal));
        Assert.Equal(ShowChangeStatus.Applied, onTime.Status);
        Assert.Equal(ShowNight.AddMinutes(10), onTime.Show!.Status.VotingEnd);
        AssertRefused(await CommitOneAsync(Vote(voter, show.Contestants[0], episode: show.Episode)), VoteRefusal.VotingClosed);
        Assert.Equal(["timer@node-1"], (await Database.QueryAsync(
            "SELECT actor FROM show_transitions WHERE episode_id = $1 AND event = 'VOTING_CLOSE'", show.Episode.Value)).Select(r => (string)r[0]!));
    }

    [Fact]
    public async Task TwoNodesClosingTheSameWindowAtOnceCloseItOnce()
    {
        var show = await OpenShowAsync(window: TimeSpan.FromMinutes(10));
        var other = Kind == StoreKind.Postgres ? NewStore(1) : Store;
        Clock.Advance(TimeSpan.FromMinutes(11));

        var changes = await Task.WhenAll(
            Task.Run(() => Store.ChangeShowAsync(show.Episode, new CloseVoting(CloseReason.Timer), "node-a", null, Ct), Ct),
            Task.Run(() => other.ChangeShowAsync(show.Episode, new CloseVoting(CloseReason.Timer), "node-b", null, Ct), Ct));

        Assert.Single(changes, c => c.Status == ShowChangeStatus.Applied);
        Assert.Single(changes, c => c.Refusal == ShowRefusal.AlreadyClosed);
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM show_transitions WHERE episode_id = $1 AND event = 'VOTING_CLOSE'", show.Episode.Value));
    }

    [Fact]
    public async Task OpeningAnEpisodeClosesAnotherWhoseWindowRanOutAsATimerClose()
    {
        var show = await OpenShowAsync(window: TimeSpan.FromMinutes(10));
        var (second, _) = await CreateEpisodeAsync(show.Season, 2, 2);
        Clock.Advance(TimeSpan.FromMinutes(15));

        var opened = await ChangeAsync(second, new OpenVoting(TimeSpan.FromMinutes(5)));

        Assert.Equal(ShowChangeStatus.Applied, opened.Status);
        Assert.Equal([show.Episode], opened.AlsoClosed);
        var first = await Store.GetShowAsync(show.Episode, Ct);
        Assert.Equal((ShowState.VotingClosed, (CloseReason?)CloseReason.Timer, (DateTimeOffset?)ShowNight.AddMinutes(10)),
            (first!.State, first.Status.ClosedReason, first.Status.VotingEnd));
        Assert.Equal([show.Episode, second], (await Store.GetShowsInAsync([ShowState.VotingOpen, ShowState.VotingClosed], Ct)).Select(s => s.Episode));
        Assert.Equal([second], (await Store.GetShowsInAsync([ShowState.VotingOpen], Ct)).Select(s => s.Episode));
        Assert.Empty(await Store.GetShowsInAsync([], Ct));
    }

    [Fact]
    public async Task AnEpisodeClosedOnceNeverReopens()
    {
        var show = await OpenShowAsync();
        Assert.Equal(WindowStatus.Ok, (await Store.CloseVotingAsync(show.Episode, Ct)).Status);
        var before = await FootprintAsync(show.Episode);

        Assert.Equal(WindowStatus.InvalidTransition, (await Store.OpenVotingAsync(show.Episode, TimeSpan.FromMinutes(5), Ct)).Status);
        Assert.Equal(before, await FootprintAsync(show.Episode));
    }

    private static SignalReceipt Signal(string key, long signedAt = 1_749_902_400) =>
        new(key, signedAt, s => new SignalAnswer(200, $"{{\"state\":\"{ShowWire.Name(s.State)}\",\"version\":{s.Version}}}"));

    [Fact]
    public async Task ASignalIsAppliedOnceAndItsDuplicateGetsTheFirstAnswer()
    {
        var show = await CreateShowAsync();

        var first = await ChangeAsync(show.Episode, new StartShow(), signal: Signal("k1"));
        var duplicate = await ChangeAsync(show.Episode, new StartShow(), signal: Signal("k1"));
        var another = await ChangeAsync(show.Episode, new StartShow(), signal: Signal("k2"));

        Assert.Equal(ShowChangeStatus.Applied, first.Status);
        Assert.Equal((ShowChangeStatus.Replayed, new SignalAnswer(200, "{\"state\":\"SHOW_STARTED\",\"version\":1}")), (duplicate.Status, duplicate.Replay));
        Assert.Equal((ShowChangeStatus.Refused, (ShowRefusal?)ShowRefusal.InvalidTransition), (another.Status, another.Refusal));
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM show_transitions"));
        Assert.Equal(["k1"], (await Database.QueryAsync("SELECT signature_key FROM broadcast_signals")).Select(r => (string)r[0]!));
    }

    [Fact]
    public async Task DuplicateSignalsArrivingTogetherOnTwoNodesApplyOnce()
    {
        var show = await CreateShowAsync();
        var other = Kind == StoreKind.Postgres ? NewStore(1) : Store;

        var changes = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Store : other).ChangeShowAsync(show.Episode, new OpenVoting(TimeSpan.FromMinutes(3)), "signal", Signal("same"), Ct), Ct)));

        Assert.Single(changes, c => c.Status == ShowChangeStatus.Applied);
        Assert.Equal(5, changes.Count(c => c.Status == ShowChangeStatus.Replayed && c.Replay!.Body.Contains("VOTING_OPEN", StringComparison.Ordinal)));
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM show_transitions"));
    }

    [Fact]
    public async Task AnswersOfSignalsPastTheReplayWindowAreForgotten()
    {
        var show = await CreateShowAsync();
        var signedAt = ShowNight.ToUnixTimeSeconds();
        await ChangeAsync(show.Episode, new StartShow(), signal: Signal("old", signedAt));
        Clock.Advance(TimeSpan.FromMinutes(11));

        await ChangeAsync(show.Episode, new StartPerformance(show.Contestants[0], null), signal: Signal("new", signedAt + 660));

        Assert.Equal(["new"], (await Database.QueryAsync("SELECT signature_key FROM broadcast_signals")).Select(r => (string)r[0]!));
    }
}

public sealed class SqliteShowContractTests() : ShowContractTests(StoreKind.Sqlite);

public sealed class PostgresShowContractTests() : ShowContractTests(StoreKind.Postgres);
