using Voting.Domain.Voting;

namespace Voting.Domain.Tests.Voting;

public sealed class VoteTypesTests
{
    [Theory]
    [InlineData(VoteType.Free, "free")]
    [InlineData(VoteType.Paid, "paid")]
    [InlineData(VoteType.Bundle, "bundle")]
    [InlineData(VoteType.Sms, "sms")]
    public void WireNamesRoundTrip(VoteType type, string wire)
    {
        Assert.Equal(wire, type.ToWire());
        Assert.True(VoteTypes.TryParse(wire, out var parsed));
        Assert.Equal(type, parsed);
    }

    [Theory]
    [InlineData("FREE")]
    [InlineData("Free")]
    [InlineData("")]
    [InlineData(" free")]
    [InlineData(null)]
    [InlineData("cash")]
    [InlineData("0")]
    public void ParsingRejectsAnythingButAnExactLowerCaseName(string? text) =>
        Assert.False(VoteTypes.TryParse(text, out _));

    [Theory]
    [InlineData(VoteType.Free, "free")]
    [InlineData(VoteType.Paid, "wallet")]
    [InlineData(VoteType.Bundle, "bundle")]
    [InlineData(VoteType.Sms, "carrier")]
    public void EachTypeMapsToItsLedgerPaymentMethod(VoteType type, string method) =>
        Assert.Equal(method, type.PaymentMethod());

    [Fact]
    public void AllListsEveryTypeOnceInWireOrder() =>
        Assert.Equal([VoteType.Free, VoteType.Paid, VoteType.Bundle, VoteType.Sms], VoteTypes.All);

    [Fact]
    public void AnUndefinedTypeHasNoWireNameOrPaymentMethod()
    {
        var undefined = (VoteType)99;

        Assert.Throws<ArgumentOutOfRangeException>(() => undefined.ToWire());
        Assert.Throws<ArgumentOutOfRangeException>(() => undefined.PaymentMethod());
    }
}
