using Voting.Domain.Analytics;

namespace Voting.Domain.Tests.Analytics;

public sealed class NormalTests
{
    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(1, 0.8413447)]
    [InlineData(-1, 0.1586553)]
    [InlineData(1.959964, 0.975)]
    [InlineData(-3, 0.0013499)]
    public void TheCdfMatchesTheTableToSixPlaces(double x, double p) => Assert.Equal(p, Normal.Cdf(x), 6);

    [Fact]
    public void TheTailsAreZeroAndOne() => Assert.Equal((0.0, 1.0), (Normal.Cdf(double.NegativeInfinity), Normal.Cdf(double.PositiveInfinity)));
}
