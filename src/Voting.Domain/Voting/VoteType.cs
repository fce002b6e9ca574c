namespace Voting.Domain.Voting;

/// <summary>How a vote is paid for.</summary>
public enum VoteType
{
    /// <summary>One of the voter's free votes for the episode.</summary>
    Free,
    /// <summary>Paid from the voter's wallet of purchased votes.</summary>
    Paid,
    /// <summary>Drawn from a bundle granted to the voter.</summary>
    Bundle,
    /// <summary>Carrier-billed premium SMS vote.</summary>
    Sms,
}

/// <summary>Wire names of vote types.</summary>
public static class VoteTypes
{
    /// <summary>All types, in wire order.</summary>
    public static readonly IReadOnlyList<VoteType> All = [VoteType.Free, VoteType.Paid, VoteType.Bundle, VoteType.Sms];

    /// <summary>The snake_case wire name.</summary>
    public static string ToWire(this VoteType type) => type switch
    {
        VoteType.Free => "free",
        VoteType.Paid => "paid",
        VoteType.Bundle => "bundle",
        VoteType.Sms => "sms",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>Parses a wire name; exact, lower case.</summary>
    public static bool TryParse(string? text, out VoteType type)
    {
        switch (text)
        {
            case "free": type = VoteType.Free; return true;
            case "paid": type = VoteType.Paid; return true;
            case "bundle": type = VoteType.Bundle; return true;
            case "sms": type = VoteType.Sms; return true;
            default: type = default; return false;
        }
    }

    /// <summary>The ledger's payment method for a vote type.</summary>
    public static string PaymentMethod(this VoteType type) => type switch
    {
        VoteType.Free => "free",
        VoteType.Paid => "wallet",
        VoteType.Bundle => "bundle",
        VoteType.Sms => "carrier",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
