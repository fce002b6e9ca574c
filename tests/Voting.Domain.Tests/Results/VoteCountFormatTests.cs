using Voting.Domain.Results;

namespace Voting.Domain.Tests.Results;

public sealed class VoteCountFormatTests
{
    [Theory]
    [InlineData(0, "0")]
    [InlineData(1, "1")]
    [InlineData(999, "999")]
    [InlineData(1_000, "1K")]
    [InlineData(1_049, "1K")]
    [InlineData(1_099, "1K")]
    [InlineData(1_100, "1.1K")]
    [InlineData(1_250, "1.2K")]
    [InlineData(1_999, "1.9K")]
    [InlineData(9_999, "9.9K")]
    [InlineData(10_000, "10K")]
    [InlineData(12_345, "12.3K")]
    [InlineData(100_000, "100K")]
    [InlineData(999_999, "999.9K")]
    [InlineData(1_000_000, "1M")]
    [InlineData(1_099_999, "1M")]
    [InlineData(3_450_000, "3.4M")]
    [InlineData(12_000_000, "12M")]
    [InlineData(12_999_999, "12.9M")]
    [InlineData(999_999_999, "999.9M")]
    [InlineData(1_000_000_000, "1B")]
    [InlineData(1_199_999_999, "1.1B")]
    [InlineData(25_000_000_000, "25B")]
    [InlineData(1_234_567_890_123, "1234.5B")]
    [InlineData(long.MaxValue, "9223372036.8B")]
    public void CountsAreShortenedToOneTruncatedDecimalOfTheLargestUnit(long votes, string expected) =>
        Assert.Equal(expected, VoteCountFormat.Format(votes));

    [Theory]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    public void ANegativeCountIsRefused(long votes) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => VoteCountFormat.Format(votes));
}
