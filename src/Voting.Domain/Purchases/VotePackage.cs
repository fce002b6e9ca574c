using System.Globalization;

namespace Voting.Domain.Purchases;

/// <summary>A package of paid votes in the catalog. Prices are in the currency's minor unit (cents).</summary>
public sealed record VotePackage(long Id, string Name, long VoteCount, long BonusVotes, long PriceCents, string Currency,
    string? BadgeText, long SortOrder, string? IosProductId, string? AndroidProductId, bool Active)
{
    /// <summary>What one purchase of the package credits.</summary>
    public long TotalVotes => VoteCount + BonusVotes;

    /// <summary>The product id of the package in a platform's store; null when it is not sold there.</summary>
    public string? ProductIdOn(string platform) => platform switch
    {
        PurchasePlatforms.Ios => IosProductId,
        PurchasePlatforms.Android => AndroidProductId,
        _ => null,
    };
}

/// <summary>The fields of a package an operator sets (all of them on create; those given on update).</summary>
public sealed record VotePackageDraft(string Name, long VoteCount, long BonusVotes, long PriceCents, string Currency,
    string? BadgeText, long SortOrder, string? IosProductId, string? AndroidProductId, bool Active);

/// <summary>Where a purchase was made.</summary>
public static class PurchasePlatforms
{
    public const string Ios = "ios";
    public const string Android = "android";
    /// <summary>The development store: a purchase without any store (Development only).</summary>
    public const string Test = "test";

    public static readonly IReadOnlyList<string> All = [Ios, Android, Test];
}

/// <summary>What a catalog entry may hold.</summary>
public static class PackageRules
{
    public const int MaxNameLength = 100, MaxBadgeLength = 40, MaxProductIdLength = 150;
    public const long MaxVotes = 100_000, MaxPriceCents = 100_000_000;

    /// <summary>The demo catalog, as the original design lists it (USD).</summary>
    public static IReadOnlyList<VotePackageDraft> Demo { get; } =
    [
        new("10 Votes", 10, 0, 99, "USD", null, 1, "com.hangmeas.votes.10", "votes_10", true),
        new("60 Votes", 50, 10, 399, "USD", "Popular", 2, "com.hangmeas.votes.50", "votes_50", true),
        new("250 Votes", 200, 50, 999, "USD", "Best value", 3, "com.hangmeas.votes.200", "votes_200", true),
        new("1200 Votes", 1000, 200, 3999, "USD", "Super fan", 4, "com.hangmeas.votes.1000", "votes_1000", true),
    ];

    /// <summary>The first rule a draft breaks, as (field, message); null when it is valid.</summary>
    public static (string Field, string Message)? Check(VotePackageDraft d)
    {
        if (string.IsNullOrWhiteSpace(d.Name) || d.Name.Length > MaxNameLength) return ("name", $"1-{MaxNameLength} characters");
        if (d.VoteCount is < 1 or > MaxVotes) return ("vote_count", $"must be 1-{MaxVotes}");
        if (d.BonusVotes is < 0 or > MaxVotes) return ("bonus_votes", $"must be 0-{MaxVotes}");
        if (d.PriceCents is < 0 or > MaxPriceCents) return ("price", "must be between 0 and 1,000,000");
        if (d.Currency.Length != 3 || !d.Currency.All(char.IsAsciiLetterUpper)) return ("currency", "a three-letter ISO 4217 code in capitals, e.g. USD");
        if (d.BadgeText is { Length: > MaxBadgeLength }) return ("badge_text", $"at most {MaxBadgeLength} characters");
        if (d.SortOrder is < 0 or > 1_000_000) return ("sort_order", "must be 0-1000000");
        if (d.IosProductId is { } ios && !IsProductId(ios)) return ("ios_product_id", ProductIdRule);
        if (d.AndroidProductId is { } android && !IsProductId(android)) return ("android_product_id", ProductIdRule);
        return null;
    }

    private const string ProductIdRule = $"1-150 characters of letters, digits, '.' and '_'";

    /// <summary>A store product id: letters, digits, dots and underscores (Apple and Google both allow these).</summary>
    public static bool IsProductId(string id) =>
        id.Length is > 0 and <= MaxProductIdLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_');

    /// <summary>A price in cents as the API shows it: 3.99.</summary>
    public static decimal Price(long cents) => cents / 100m;

    /// <summary>A price the API was given (3.99) in cents; null when it is not a whole number of cents.</summary>
    public static long? Cents(decimal price)
    {
        var cents = price * 100m;
        return cents == decimal.Truncate(cents) && cents is >= 0 and <= MaxPriceCents ? (long)cents : null;
    }

    public static string Describe(long cents, string currency) =>
        string.Create(CultureInfo.InvariantCulture, $"{Price(cents):0.00} {currency}");
}
