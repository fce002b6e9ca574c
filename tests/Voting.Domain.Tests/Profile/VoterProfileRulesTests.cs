using Voting.Domain.Profile;

namespace Voting.Domain.Tests.Profile;

public class VoterProfileRulesTests
{
    private static readonly DateOnly Today = new(2026, 11, 30);

    [Fact]
    public void Cambodia_has_25_provinces_found_without_regard_to_case()
    {
        Assert.Equal(25, Provinces.All.Distinct().Count());
        Assert.Equal("Phnom Penh", Provinces.Find("  phnom penh "));
        Assert.Null(Provinces.Find("Bangkok"));
    }

    [Theory]
    [InlineData(0, "bronze")]
    [InlineData(499, "bronze")]
    [InlineData(500, "silver")]
    [InlineData(1999, "silver")]
    [InlineData(2000, "gold")]
    [InlineData(9999, "gold")]
    [InlineData(10000, "platinum")]
    public void Tiers_follow_lifetime_points(long points, string tier) => Assert.Equal(tier, LoyaltyTiers.Of(points));

    [Theory]
    [InlineData("2001-04-13", true)]
    [InlineData("2026-11-30", true)]
    [InlineData("2026-12-01", false)]
    [InlineData("1906-11-30", true)]
    [InlineData("1906-11-29", false)]
    [InlineData("2001-02-30", false)]
    [InlineData("13/04/2001", false)]
    public void A_date_of_birth_is_past_and_at_most_120_years_ago(string value, bool valid) =>
        Assert.Equal(valid, VoterProfileRules.DateOfBirth(value, Today) is not null);

    [Theory]
    [InlineData("2008-12-01", 17)]
    [InlineData("2008-11-30", 18)]
    public void Age_is_in_whole_years(string born, int age) => Assert.Equal(age, VoterProfileRules.Age(DateOnly.Parse(born, System.Globalization.CultureInfo.InvariantCulture), Today));

    [Fact]
    public void A_display_name_is_trimmed_and_short()
    {
        Assert.Equal("Dara", VoterProfileRules.DisplayName("  Dara "));
        Assert.Null(VoterProfileRules.DisplayName(new string('a', 51)));
        Assert.Null(VoterProfileRules.DisplayName("a\u0007b"));
    }
}
