using System.Globalization;

namespace Voting.Domain.Profile;

/// <summary>Cambodia's 25 provinces (the capital included), by their usual English names.</summary>
public static class Provinces
{
    public static readonly IReadOnlyList<string> All =
    [
        "Banteay Meanchey", "Battambang", "Kampong Cham", "Kampong Chhnang", "Kampong Speu", "Kampong Thom", "Kampot",
        "Kandal", "Kep", "Koh Kong", "Kratie", "Mondulkiri", "Oddar Meanchey", "Pailin", "Phnom Penh", "Preah Sihanouk",
        "Preah Vihear", "Prey Veng", "Pursat", "Ratanakiri", "Siem Reap", "Stung Treng", "Svay Rieng", "Takeo", "Tbong Khmum",
    ];

    /// <summary>The province's name as listed, matched without regard to case or surrounding spaces; null when unknown.</summary>
    public static string? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p, name.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>Loyalty tiers from lifetime points (points of counted votes: 2 per vote, 3 per paid vote).</summary>
public static class LoyaltyTiers
{
    /// <summary>Each tier and the lifetime points it starts at, lowest first.</summary>
    public static readonly IReadOnlyList<(string Tier, long From)> Table =
        [("bronze", 0), ("silver", 500), ("gold", 2_000), ("platinum", 10_000)];

    public static string Of(long points) => Table.Last(t => points >= t.From).Tier;
}

public enum ProfileProblem { None, InvalidProvince, InvalidDateOfBirth, InvalidGender, InvalidDisplayName }

/// <summary>The rules of the fields a voter sets on their profile.</summary>
public static class VoterProfileRules
{
    public const int MaxDisplayNameLength = 50, MaxAgeYears = 120;
    public static readonly IReadOnlyList<string> Genders = ["female", "male", "other"];

    /// <summary>A display name: trimmed, 1-50 characters, no control characters.</summary>
    public static string? DisplayName(string value)
    {
        var name = value.Trim();
        return name.Length is > 0 and <= MaxDisplayNameLength && !name.Any(char.IsControl) ? name : null;
    }

    /// <summary>A date of birth <c>YYYY-MM-DD</c>, not in the future and at most 120 years before <paramref name="today"/>.</summary>
    public static DateOnly? DateOfBirth(string value, DateOnly today)
    {
        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return null;
        if (date > today || date < today.AddYears(-MaxAgeYears)) return null;
        return date;
    }

    /// <summary>Whole years of age on <paramref name="today"/>.</summary>
    public static int Age(DateOnly born, DateOnly today)
    {
        var age = today.Year - born.Year;
        return born > today.AddYears(-age) ? age - 1 : age;
    }
}
