using Voting.Domain.Phones;
using Voting.Domain.Sms;

namespace Voting.Domain.Tests.Sms;

public sealed class SmsCarrierCheckTests
{
    [Theory]
    [InlineData("010345678", Carrier.Smart)]
    [InlineData("012345678", Carrier.Cellcard)]
    [InlineData("0971234567", Carrier.Metfone)]
    [InlineData("+855 12 345 678", Carrier.Cellcard)]
    public void ANumberDeliveredByItsOwnCarrierRaisesNoSignal(string sender, Carrier deliveredBy) =>
        Assert.False(SmsCarrierCheck.Disagrees(sender, deliveredBy));

    [Theory]
    [InlineData("010345678", Carrier.Cellcard)]
    [InlineData("012345678", Carrier.Metfone)]
    [InlineData("0971234567", Carrier.Smart)]
    [InlineData("+85512345678", Carrier.Smart)]
    public void ANumberDeliveredByAnotherCarrierIsAMismatch(string sender, Carrier deliveredBy) =>
        Assert.True(SmsCarrierCheck.Disagrees(sender, deliveredBy));

    [Theory]
    [InlineData("018345678", Carrier.Smart)]
    [InlineData("012345678", Carrier.Unknown)]
    [InlineData("not a number", Carrier.Metfone)]
    [InlineData(null, Carrier.Cellcard)]
    public void AnUnknownPrefixCarrierOrNumberIsNoMismatch(string? sender, Carrier deliveredBy) =>
        Assert.False(SmsCarrierCheck.Disagrees(sender, deliveredBy));
}
