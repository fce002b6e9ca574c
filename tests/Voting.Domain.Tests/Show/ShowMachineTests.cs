using Voting.Domain.Show;

namespace Voting.Domain.Tests.Show;

public sealed class ShowMachineTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 14, 12, 0, 0, TimeSpan.Zero);
    private static readonly ContestantId Sophea = new(3), Dara = new(4);

    private static ShowStatus Step(ShowStatus from, ShowCommand command, DateTimeOffset? at = null)
    {
        var step = ShowMachine.Apply(from, command, at ?? Now);
        Assert.Null(step.Refusal);
        return step.Next!;
    }

    private static ShowRefusal? Refusal(ShowStatus from, ShowCommand command, DateTimeOffset? at = null) =>
        ShowMachine.Apply(from, command, at ?? Now).Refusal;

    private static ShowStatus In(ShowState state) => state switch
    {
        ShowState.Performance => new(state, Sophea, "Champa Battambang"),
        ShowState.VotingOpen => new(state, VotingStart: Now, VotingEnd: Now.AddMinutes(30)),
        ShowState.VotingClosed => new(state, VotingStart: Now, VotingEnd: Now.AddMinutes(30), ClosedReason: CloseReason.Timer),
        ShowState.ResultsReady or ShowState.ShowEnded =>
            new(state, VotingStart: Now, VotingEnd: Now.AddMinutes(30), ClosedReason: CloseReason.Timer, ResultsDigest: "ab", ResultsVotes: 9),
        _ => new(state),
    };

    [Fact]
    public void AWholeShowRunsFromIdleToEndedWithItsPerformersAndOneWindow()
    {
        var s = Step(ShowStatus.Initial, new StartShow());
        Assert.Equal(ShowState.ShowStarted, s.State);
        s = Step(s, new StartPerformance(Sophea, "Champa Battambang"));
        Assert.Equal((ShowState.Performance, Sophea, "Champa Battambang"), (s.State, s.Performer, s.Song));
        s = Step(s, new StartPerformance(Dara, null));
        Assert.Equal((ShowState.Performance, Dara, (string?)null), (s.State, s.Performer, s.Song));
        s = Step(s, new EndPerformance());
        Assert.Equal((ShowState.ShowStarted, (ContestantId?)null), (s.State, s.Performer));
        s = Step(s, new OpenVoting(TimeSpan.FromMinutes(30)));
        Assert.Equal(new ShowStatus(ShowState.VotingOpen, VotingStart: Now, VotingEnd: Now.AddMinutes(30)), s);
        s = Step(s, new CloseVoting(CloseReason.Signal), Now.AddMinutes(12));
        Assert.Equal(new ShowStatus(ShowState.VotingClosed, VotingStart: Now, VotingEnd: Now.AddMinutes(12), ClosedReason: CloseReason.Signal), s);
        s = Step(s, new AnnounceResults("digest", 1234));
        Assert.Equal((ShowState.ResultsReady, "digest", (long?)1234), (s.State, s.ResultsDigest, s.ResultsVotes));
        s = Step(s, new EndShow());
        Assert.Equal(ShowState.ShowEnded, s.State);
        Assert.Equal(Now.AddMinutes(12), s.VotingEnd);
    }

    [Fact]
    public void VotingMayOpenStraightFromIdleForAnOnlineOnlyRound()
    {
        var s = Step(ShowStatus.Initial, new OpenVoting(TimeSpan.FromSeconds(90)));
        Assert.Equal((ShowState.VotingOpen, Now, Now.AddSeconds(90)), (s.State, s.VotingStart, s.VotingEnd));
    }

    [Fact]
    public void OpeningVotingDuringAPerformanceEndsThePerformance()
    {
        var s = Step(In(ShowState.Performance), new OpenVoting(TimeSpan.FromMinutes(5)));
        Assert.Equal((ShowState.VotingOpen, (ContestantId?)null, (string?)null), (s.State, s.Performer, s.Song));
    }

    public static TheoryData<ShowState, string> Illegal => new()
    {
        { ShowState.Idle, "PERFORMANCE_START" }, { ShowState.Idle, "PERFORMANCE_END" }, { ShowState.Idle, "SHOW_END" },
        { ShowState.Idle, "RESULTS_READY" },
        { ShowState.ShowStarted, "SHOW_START" }, { ShowState.ShowStarted, "PERFORMANCE_END" }, { ShowState.ShowStarted, "RESULTS_READY" },
        { ShowState.Performance, "SHOW_START" },
        { ShowState.VotingOpen, "SHOW_START" }, { ShowState.VotingOpen, "PERFORMANCE_START" }, { ShowState.VotingOpen, "PERFORMANCE_END" },
        { ShowState.VotingOpen, "RESULTS_READY" }, { ShowState.VotingOpen, "SHOW_END" },
        { ShowState.VotingClosed, "VOTING_OPEN" }, { ShowState.VotingClosed, "PERFORMANCE_START" }, { ShowState.VotingClosed, "SHOW_END" },
        { ShowState.VotingClosed, "SHOW_START" },
        { ShowState.ResultsReady, "VOTING_OPEN" }, { ShowState.ResultsReady, "RESULTS_READY" }, { ShowState.ResultsReady, "PERFORMANCE_START" },
        { ShowState.ShowEnded, "SHOW_START" }, { ShowState.ShowEnded, "SHOW_END" }, { ShowState.ShowEnded, "VOTING_OPEN" },
        { ShowState.ShowEnded, "PERFORMANCE_START" },
    };

    [Theory]
    [MemberData(nameof(Illegal))]
    public void AnIllegalTransitionIsRefusedAndNamesNoNextState(ShowState state, string command)
    {
        ShowCommand c = command switch
        {
            "SHOW_START" => new StartShow(),
            "PERFORMANCE_START" => new StartPerformance(Dara, null),
            "PERFORMANCE_END" => new EndPerformance(),
            "VOTING_OPEN" => new OpenVoting(TimeSpan.FromMinutes(1)),
            "RESULTS_READY" => new AnnounceResults("d", 1),
            _ => new EndShow(),
        };
        Assert.Equal(command, c.Name);
        var step = ShowMachine.Apply(In(state), c, Now);
        Assert.Equal((ShowRefusal?)ShowRefusal.InvalidTransition, step.Refusal);
        Assert.Null(step.Next);
    }

    [Fact]
    public void OpeningAnOpenWindowIsAlreadyOpen() =>
        Assert.Equal(ShowRefusal.AlreadyOpen, Refusal(In(ShowState.VotingOpen), new OpenVoting(TimeSpan.FromMinutes(1))));

    [Theory]
    [InlineData(ShowState.Idle, ShowRefusal.InvalidTransition)]
    [InlineData(ShowState.ShowStarted, ShowRefusal.InvalidTransition)]
    [InlineData(ShowState.Performance, ShowRefusal.InvalidTransition)]
    [InlineData(ShowState.VotingClosed, ShowRefusal.AlreadyClosed)]
    [InlineData(ShowState.ResultsReady, ShowRefusal.AlreadyClosed)]
    [InlineData(ShowState.ShowEnded, ShowRefusal.AlreadyClosed)]
    public void ClosingAWindowThatIsNotOpenChangesNothing(ShowState state, ShowRefusal refusal)
    {
        foreach (var reason in Enum.GetValues<CloseReason>())
            Assert.Equal(refusal, Refusal(In(state), new CloseVoting(reason), Now.AddHours(1)));
    }

    [Fact]
    public void AShowThatEndedWithoutVotingIsRefusedACloseAsAnInvalidTransition() =>
        Assert.Equal(ShowRefusal.InvalidTransition, Refusal(new ShowStatus(ShowState.ShowEnded), new CloseVoting(CloseReason.Operator)));

    [Fact]
    public void TheTimerClosesAtTheEndAndNotAMillisecondBefore()
    {
        var open = In(ShowState.VotingOpen);
        var end = open.VotingEnd!.Value;

        Assert.Equal(ShowRefusal.NotDue, Refusal(open, new CloseVoting(CloseReason.Timer), end.AddMilliseconds(-1)));
        var closed = Step(open, new CloseVoting(CloseReason.Timer), end);
        Assert.Equal((ShowState.VotingClosed, end, (CloseReason?)CloseReason.Timer), (closed.State, closed.VotingEnd, closed.ClosedReason));
    }

    [Fact]
    public void ALateCloseKeepsTheEndTheVotersWerePromised()
    {
        var open = In(ShowState.VotingOpen);
        var end = open.VotingEnd!.Value;

        Assert.Equal(end, Step(open, new CloseVoting(CloseReason.Timer), end.AddSeconds(40)).VotingEnd);
        Assert.Equal(end, Step(open, new CloseVoting(CloseReason.Signal), end.AddSeconds(3)).VotingEnd);
        Assert.Equal(Now.AddMinutes(1), Step(open, new CloseVoting(CloseReason.Operator), Now.AddMinutes(1)).VotingEnd);
    }

    [Fact]
    public void AWindowMustLast() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ShowMachine.Apply(ShowStatus.Initial, new OpenVoting(TimeSpan.Zero), Now));

    [Fact]
    public void WireNamesRoundTrip()
    {
        foreach (var state in Enum.GetValues<ShowState>())
        {
            Assert.True(ShowWire.TryParseState(ShowWire.Name(state), out var back));
            Assert.Equal(state, back);
        }
        foreach (var reason in Enum.GetValues<CloseReason>())
        {
            Assert.True(ShowWire.TryParseReason(ShowWire.Name(reason), out var back));
            Assert.Equal(reason, back);
        }
        Assert.Equal("VOTING_CLOSED", ShowWire.Name(ShowState.VotingClosed));
        Assert.Equal("operator", ShowWire.Name(CloseReason.Operator));
        Assert.False(ShowWire.TryParseState("voting_open", out _));
    }
}
