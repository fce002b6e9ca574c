using Voting.Domain.Outbox;

namespace Voting.Domain.Tests.Outbox;

public sealed class RetryScheduleTests
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromMinutes(5);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(8, 128)]
    [InlineData(9, 256)]
    [InlineData(10, 300)]
    [InlineData(1000, 300)]
    public void WithoutJitterTheWaitDoublesUpToTheCap(int attempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetrySchedule.Delay(attempt, First, Max, 0));

    [Theory]
    [InlineData(1, 1.5)]
    [InlineData(3, 6)]
    [InlineData(9, 300)]
    public void JitterLengthensTheWaitByUpToHalfWithinTheCap(int attempt, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetrySchedule.Delay(attempt, First, Max, 1));

    [Fact]
    public void WaitsNeverShrinkFromOneAttemptToTheNextWhateverTheJitter()
    {
        for (var attempt = 1; attempt < 20; attempt++)
            Assert.True(RetrySchedule.Delay(attempt, First, Max, 1) <= RetrySchedule.Delay(attempt + 1, First, Max, 0), $"attempt {attempt}");
    }

    [Fact]
    public void ThereIsNoAttemptZero() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => RetrySchedule.Delay(0, First, Max, 0));
}
