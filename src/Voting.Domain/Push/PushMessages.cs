using System.Globalization;

namespace Voting.Domain.Push;

/// <summary>A notification's text as the viewer sees it.</summary>
public sealed record PushMessage(string Title, string Body);

/// <summary>The notifications viewers get.</summary>
public static class PushMessages
{
    /// <summary>The <c>type</c> in the data of a vote confirmation.</summary>
    public const string VoteConfirmationType = "vote_confirmation";

    /// <summary>After votes commit: one notification for the <paramref name="votes"/> coalesced, naming the contestant of the latest.</summary>
    public static PushMessage VoteConfirmed(long votes, string contestant) =>
        new("Vote Confirmed! 🎉", string.Create(CultureInfo.InvariantCulture, $"Your {votes} vote(s) for {contestant} have been counted!"));

    /// <summary>The <c>type</c> in the data of a purchase confirmation.</summary>
    public const string PurchaseConfirmationType = "purchase_confirmation";

    /// <summary>After a purchase's votes are credited.</summary>
    public static PushMessage PurchaseConfirmed(long votes, string package) =>
        new("Votes added! 🎉", string.Create(CultureInfo.InvariantCulture, $"{votes} votes from {package} are in your wallet."));
}
