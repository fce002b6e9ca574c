using Voting.Domain.Analytics;

namespace Voting.Domain.Tests.Analytics;

public sealed class AudienceTests
{
    private static readonly DateTimeOffset Opened = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void VotersAreCountedByTierAgeGenderAndNewnessAndVotesByProvince()
    {
        var a = new Audience(Opened, DateOnly.FromDateTime(Opened.UtcDateTime));

        a.Add("Phnom Penh", "female", "2000-01-01", Opened.AddDays(-30), votes: 7, lifetimePoints: 14);
        a.Add("Phnom Penh", "male", "1970-01-01", Opened, votes: 3, lifetimePoints: 600);
        a.Add(null, null, null, Opened.AddMinutes(5), votes: 1, lifetimePoints: 2_000);
        a.Add("Atlantis", "robot", "not a date", Opened.AddDays(-1), votes: 2, lifetimePoints: 10_000);

        Assert.Equal(4, a.Voters);
        Assert.Equal((2L, 2L), (a.New, a.Returning)); // created at or after the opening is new
        Assert.Equal(new Dictionary<string, long> { ["bronze"] = 1, ["silver"] = 1, ["gold"] = 1, ["platinum"] = 1 }, a.ByTier);
        Assert.Equal(new Dictionary<string, long> { ["Under 18"] = 0, ["18-24"] = 0, ["25-34"] = 1, ["35-44"] = 0, ["45+"] = 1, ["unknown"] = 2 }, a.ByAgeGroup);
        Assert.Equal(new Dictionary<string, long> { ["female"] = 1, ["male"] = 1, ["other"] = 0, ["unknown"] = 2 }, a.ByGender);
        Assert.Equal(new Dictionary<string, long> { ["Phnom Penh"] = 10, ["unknown"] = 3 }, a.VotesByProvince);
        Assert.Equal(3153.50m, a.AverageLoyaltyPoints); // (14 + 600 + 2000 + 10000) / 4
    }

    [Fact]
    public void NobodyIsNewBeforeVotingOpenedAndAnEmptyAudienceAveragesZero()
    {
        var a = new Audience(null, new DateOnly(2026, 6, 15));
        Assert.Equal(0m, a.AverageLoyaltyPoints);
        a.Add("Kep", "other", null, Opened, 1, 0);
        Assert.Equal((0L, 1L), (a.New, a.Returning));
    }

    [Fact]
    public void FromTheFieldsCharactersAnEmptyFieldCountsAsAMissingOneAndNamesMatchExactly()
    {
        var a = new Audience(Opened, DateOnly.FromDateTime(Opened.UtcDateTime));
        (string Province, string Gender, string Born)[] voters =
        [
            ("Kep", "other", "2010-01-01"), ("", "", ""), ("Atlantis", "robot", "not a date"), ("kep", "Female", "2000-02-30"),
            ("Siem Reap", "male", "1980-12-31"), (" Kep", "unknown", "1990-1-1"),
        ];
        foreach (var (province, gender, born) in voters)
            a.Add(province.AsSpan(), gender.AsSpan(), born.AsSpan(), Opened, votes: 2, lifetimePoints: 700);

        Assert.Equal(new Dictionary<string, long> { ["Kep"] = 2, ["Siem Reap"] = 2, ["unknown"] = 8 }, a.VotesByProvince);
        Assert.Equal(new Dictionary<string, long> { ["female"] = 0, ["male"] = 1, ["other"] = 1, ["unknown"] = 4 }, a.ByGender);
        Assert.Equal(new Dictionary<string, long> { ["Under 18"] = 1, ["18-24"] = 0, ["25-34"] = 0, ["35-44"] = 0, ["45+"] = 1, ["unknown"] = 4 },
            a.ByAgeGroup); // empty, unreadable, 30 February, and a date not written YYYY-MM-DD
        Assert.Equal((6L, 6L), (a.Voters, a.ByTier["silver"]));
    }
}
