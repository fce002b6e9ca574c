using Voting.Domain.Analytics;
using Voting.Storage.Sql;

namespace Voting.Storage.Tests.Analytics;

/// <summary>The analytics read's voter rows, which come as one text of seven fields: read back as the fields, or refused.</summary>
public sealed class AudienceRowTests
{
    private static readonly DateTimeOffset Opened = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);
    private static readonly char Sep = SqlVotingStore.FieldSeparator;

    private static string Row(params object[] fields) => string.Join(Sep, fields);

    [Fact]
    public void EachFieldCountsWhereItsColumnWouldAndEveryRowHasItsOwnContestants()
    {
        var audience = new Audience(Opened, DateOnly.FromDateTime(Opened.UtcDateTime));
        var voters = new Dictionary<long, long>();
        var scratch = new List<(long, long)>();

        SqlVotingStore.AddVoter(Row("Kandal", "female", "1990-05-01", Opened.AddDays(-3).ToUnixTimeMilliseconds(), 7, 2_500, """{"3":2,"5":0,"9":5}"""),
            audience, voters, scratch);
        SqlVotingStore.AddVoter(Row("", "", "", Opened.ToUnixTimeMilliseconds(), 1, 12, """{"5": 1}"""), audience, voters, scratch);
        SqlVotingStore.AddVoter(Row("Kandal", "male", "2012-01-01", Opened.AddMinutes(1).ToUnixTimeMilliseconds(), 2, 40, "{}"), audience, voters, scratch);

        Assert.Equal((3L, 2L), (audience.Voters, audience.New));
        Assert.Equal(new Dictionary<string, long> { ["Kandal"] = 9, ["unknown"] = 1 }, audience.VotesByProvince);
        Assert.Equal(new Dictionary<string, long> { ["female"] = 1, ["male"] = 1, ["other"] = 0, ["unknown"] = 1 }, audience.ByGender);
        Assert.Equal((1L, 1L, 1L), (audience.ByAgeGroup["35-44"], audience.ByAgeGroup["Under 18"], audience.ByAgeGroup["unknown"]));
        Assert.Equal((2L, 1L), (audience.ByTier["bronze"], audience.ByTier["gold"]));
        Assert.Equal(new Dictionary<long, long> { [3] = 1, [5] = 1, [9] = 1 }, voters); // 5 counts once: the first voter's 0 is no vote
    }

    [Theory]
    [InlineData(6)]
    [InlineData(8)]
    public void ARowWithAnotherNumberOfFieldsIsRefused(int fields)
    {
        var row = Row([.. new object[] { "Kep", "other", "", 0, 1, 2, "{}", "extra" }.Take(fields)]);
        Assert.Throws<FormatException>(() => SqlVotingStore.AddVoter(row, new Audience(Opened, default), [], []));
    }

    [Theory]
    [InlineData("x", "1", "2", "{}")]
    [InlineData("0", "", "2", "{}")]
    [InlineData("0", "1", "2.5", "{}")]
    [InlineData("0", "1", "2", "{\"3\":}")]
    public void ARowWhoseNumbersOrContestantVotesCannotBeReadIsRefused(string createdAt, string votes, string points, string contestantVotes)
    {
        var voters = new Dictionary<long, long>();
        var audience = new Audience(Opened, default);
        Assert.Throws<FormatException>(() => SqlVotingStore.AddVoter(Row("Kep", "other", "", createdAt, votes, points, contestantVotes), audience, voters, []));
        Assert.Empty(voters);
    }
}
