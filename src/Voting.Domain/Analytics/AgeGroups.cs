using System.Globalization;
using Voting.Domain.Profile;

namespace Voting.Domain.Analytics;

/// <summary>The report's age groups, from a voter's date of birth.</summary>
public static class AgeGroups
{
    public const string Unknown = "unknown";

    /// <summary>Every label, youngest first, then <see cref="Unknown"/>.</summary>
    public static readonly IReadOnlyList<string> All = ["Under 18", "18-24", "25-34", "35-44", "45+", Unknown];

    /// <summary>The group of someone of <paramref name="age"/> whole years.</summary>
    public static string Of(int age) => age switch
    {
        < 18 => "Under 18",
        <= 24 => "18-24",
        <= 34 => "25-34",
        <= 44 => "35-44",
        _ => "45+",
    };

    /// <summary>The group of a voter born on <paramref name="dateOfBirth"/> (<c>YYYY-MM-DD</c>, or null) on <paramref name="on"/>; <see cref="Unknown"/> without a readable date.</summary>
    public static string Of(string? dateOfBirth, DateOnly on) => Of(dateOfBirth.AsSpan(), on);

    /// <summary><see cref="Of(string?, DateOnly)"/> from the date's characters (empty: no date).</summary>
    public static string Of(ReadOnlySpan<char> dateOfBirth, DateOnly on) =>
        DateOnly.TryParseExact(dateOfBirth, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born) && born <= on
            ? Of(VoterProfileRules.Age(born, on))
            : Unknown;
}
