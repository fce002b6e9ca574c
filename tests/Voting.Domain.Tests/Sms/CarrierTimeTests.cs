using Voting.Domain.Sms;

namespace Voting.Domain.Tests.Sms;

public sealed class CarrierTimeTests
{
    [Theory]
    [InlineData("1718366400", "2024-06-14T12:00:00Z")]
    [InlineData(" 1718366400 ", "2024-06-14T12:00:00Z")]
    [InlineData("1718366400.250", "2024-06-14T12:00:00.25Z")]
    [InlineData("2024-06-14T12:00:00Z", "2024-06-14T12:00:00Z")]
    [InlineData("2024-06-14T19:00:00+07:00", "2024-06-14T12:00:00Z")]
    [InlineData("2024-06-14T12:00:00.5Z", "2024-06-14T12:00:00.5Z")]
    [InlineData("2024-06-14T12:00:00", "2024-06-14T12:00:00Z")]
    [InlineData("2024-06-14 12:00:00Z", "2024-06-14T12:00:00Z")]
    public void UnixSecondsAndIso8601AreRead(string text, string utc) =>
        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), CarrierTime.Parse(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-1718366400")]
    [InlineData("1718366400000")]
    [InlineData("12")]
    [InlineData("14/06/2024 12:00")]
    [InlineData("June 14 2024")]
    [InlineData("2024-13-40T00:00:00Z")]
    [InlineData("1e9")]
    public void AnythingElseIsNoTime(string? text) => Assert.Null(CarrierTime.Parse(text));
}
