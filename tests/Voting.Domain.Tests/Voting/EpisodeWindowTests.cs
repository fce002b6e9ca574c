using Voting.Domain.Voting;

namespace Voting.Domain.Tests.Voting;

public sealed class EpisodeWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 13, 0, 0, TimeSpan.Zero);

    private static EpisodeWindow Window(string state, DateTimeOffset? start, DateTimeOffset? end) =>
        new(new EpisodeId(1), state, start, end);

    [Theory]
    [InlineData(EpisodeStates.Open, -60, 60, true)]
    [InlineData(EpisodeStates.Open, 0, 60, true)]
    [InlineData(EpisodeStates.Open, -60, 0, false)]
    [InlineData(EpisodeStates.Open, 1, 60, false)]
    [InlineData(EpisodeStates.Open, -120, -60, false)]
    [InlineData(EpisodeStates.Closed, -60, 60, false)]
    [InlineData(EpisodeStates.Idle, -60, 60, false)]
    [InlineData(EpisodeStates.Open, null, 60, false)]
    [InlineData(EpisodeStates.Open, -60, null, false)]
    [InlineData("OPEN", -60, 60, false)]
    public void IsOpenOnlyInTheOpenStateFromStartInclusiveToEndExclusive(string state, int? startSeconds, int? endSeconds, bool open)
    {
        var window = Window(state, startSeconds is { } s ? Now.AddSeconds(s) : null, endSeconds is { } e ? Now.AddSeconds(e) : null);

        Assert.Equal(open, window.IsOpenAt(Now));
    }

    [Theory]
    [InlineData(EpisodeStates.Open, 10_000, 10)]
    [InlineData(EpisodeStates.Open, 10_200, 11)]
    [InlineData(EpisodeStates.Open, 9_999, 10)]
    [InlineData(EpisodeStates.Open, 1, 1)]
    [InlineData(EpisodeStates.Open, 0, 0)]
    [InlineData(EpisodeStates.Open, -5_000, 0)]
    [InlineData(EpisodeStates.Closed, 10_000, 0)]
    public void SecondsRemainingRoundsUpAndIsZeroWhenClosed(string state, int endMilliseconds, long seconds)
    {
        var window = Window(state, Now.AddMinutes(-1), Now.AddMilliseconds(endMilliseconds));

        Assert.Equal(seconds, window.SecondsRemaining(Now));
    }
}
