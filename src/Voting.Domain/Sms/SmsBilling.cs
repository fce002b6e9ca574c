using System.Globalization;
using Voting.Domain.Phones;

namespace Voting.Domain.Sms;

/// <summary>Who bills a carrier-billed vote, and what the bill says.</summary>
public static class SmsBilling
{
    /// <summary>A text is billed by the carrier that delivered it; an app SMS vote by the carrier of the voter's number prefix.</summary>
    public static string ChargedCarrier(string? deliveringCarrier, string voterPhone) =>
        deliveringCarrier ?? PhoneNumber.CarrierOf(voterPhone).ToWire();

    /// <summary>The line on the texter's bill.</summary>
    public static string Description(int count, string contestant) =>
        string.Create(CultureInfo.InvariantCulture, $"XFactor: {count} vote(s) for {contestant}");
}
