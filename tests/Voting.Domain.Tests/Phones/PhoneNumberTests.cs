using Voting.Domain.Phones;

namespace Voting.Domain.Tests.Phones;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("012345678", "012345678")]
    [InlineData("+855 12 345 678", "012345678")]
    [InlineData("85512345678", "012345678")]
    [InlineData("+85512345678", "012345678")]
    [InlineData("0961234567", "0961234567")]
    [InlineData("+855 96 123 4567", "0961234567")]
    [InlineData("  012-345-678 ", "012345678")]
    [InlineData("+855012345678", "012345678")]
    [InlineData("855 96 123 4567", "0961234567")]
    [InlineData("(012) 345.678", "012345678")]
    [InlineData("+855-97-765-4321", "0977654321")]
    public void NormalizesEveryAcceptedFormToTheNationalForm(string input, string national)
    {
        Assert.Equal(national, PhoneNumber.Normalize(input));
        Assert.Equal(national, PhoneNumber.Normalize(national));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("abc")]
    [InlineData("12345678")]
    [InlineData("+1 202 555 0100")]
    [InlineData("0012345678")]
    [InlineData("01234567")]
    [InlineData("01234567890")]
    [InlineData("012a45678")]
    [InlineData("+85501234567 8x")]
    [InlineData("+012345678")]
    [InlineData("+855")]
    [InlineData("+855 00 123 4567")]
    [InlineData("012/345/678")]
    [InlineData("0123456789012345678901")]
    public void RejectsAnythingThatIsNotACambodianMobileNumber(string? input) =>
        Assert.Null(PhoneNumber.Normalize(input));

    [Theory]
    [InlineData("010345678", Carrier.Smart)]
    [InlineData("0961234567", Carrier.Smart)]
    [InlineData("012345678", Carrier.Cellcard)]
    [InlineData("0991234567", Carrier.Cellcard)]
    [InlineData("0971234567", Carrier.Metfone)]
    [InlineData("088345678", Carrier.Metfone)]
    [InlineData("018345678", Carrier.Unknown)]
    [InlineData("01", Carrier.Unknown)]
    [InlineData("", Carrier.Unknown)]
    public void TheCarrierFollowsTheThreeDigitPrefix(string normalized, Carrier carrier) =>
        Assert.Equal(carrier, PhoneNumber.CarrierOf(normalized));
}
