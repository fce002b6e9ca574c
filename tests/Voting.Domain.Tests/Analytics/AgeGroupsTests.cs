using Voting.Domain.Analytics;

namespace Voting.Domain.Tests.Analytics;

public sealed class AgeGroupsTests
{
    [Theory]
    [InlineData(0, "Under 18")]
    [InlineData(17, "Under 18")]
    [InlineData(18, "18-24")]
    [InlineData(24, "18-24")]
    [InlineData(25, "25-34")]
    [InlineData(34, "25-34")]
    [InlineData(35, "35-44")]
    [InlineData(44, "35-44")]
    [InlineData(45, "45+")]
    [InlineData(120, "45+")]
    public void EachAgeFallsInItsGroupAtTheBoundaries(int age, string group) => Assert.Equal(group, AgeGroups.Of(age));

    [Theory]
    [InlineData("2008-06-15", "18-24")] // 18 on the day
    [InlineData("2008-06-16", "Under 18")] // 18 tomorrow
    [InlineData("2001-06-15", "25-34")]
    [InlineData("1981-06-16", "35-44")] // 45 tomorrow
    [InlineData("1981-06-15", "45+")]
    public void AgeIsInWholeYearsOnTheDayGiven(string born, string group) =>
        Assert.Equal(group, AgeGroups.Of(born, new DateOnly(2026, 6, 15)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("15/06/2000")]
    [InlineData("2027-01-01")]
    public void AMissingUnreadableOrFutureDateIsUnknown(string? born) =>
        Assert.Equal("unknown", AgeGroups.Of(born, new DateOnly(2026, 6, 15)));

    [Fact]
    public void TheLabelsAreTheReportsWithAsciiHyphens() =>
        Assert.Equal(["Under 18", "18-24", "25-34", "35-44", "45+", "unknown"], AgeGroups.All);
}
