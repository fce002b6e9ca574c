using Voting.Domain.Phones;

namespace Voting.Domain.Sms;

/// <summary>Cross-checks a texter's number against the carrier whose webhook delivered the text.</summary>
public static class SmsCarrierCheck
{
    /// <summary>
    /// Whether the sender's prefix belongs to another carrier than <paramref name="deliveredBy"/>.
    /// A fraud signal to record on the vote, never a reason to refuse it. A prefix outside the
    /// table, an unknown delivering carrier or a number <see cref="PhoneNumber.Normalize"/> rejects
    /// give no signal: there is nothing to disagree with.
    /// </summary>
    /// <param name="sender">The sender's number, normalized or in any form Normalize accepts.</param>
    /// <param name="deliveredBy">The carrier whose webhook the text came through.</param>
    public static bool Disagrees(string? sender, Carrier deliveredBy)
    {
        if (deliveredBy == Carrier.Unknown || PhoneNumber.Normalize(sender) is not { } national) return false;
        var owner = PhoneNumber.CarrierOf(national);
        return owner != Carrier.Unknown && owner != deliveredBy;
    }
}
