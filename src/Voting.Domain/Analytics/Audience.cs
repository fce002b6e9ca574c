using Voting.Domain.Profile;

namespace Voting.Domain.Analytics;

/// <summary>
/// Who voted in an episode, summed one voter at a time: voters by loyalty tier, age group, gender
/// and new or returning, their average lifetime loyalty points, and votes by province. A voter
/// without the data counts under <c>"unknown"</c>; a voter is new if created at or after voting opened.
/// </summary>
/// <param name="votingStart">When voting opened (null: nobody is new).</param>
/// <param name="ageOn">The day ages are taken on.</param>
public sealed class Audience(DateTimeOffset? votingStart, DateOnly ageOn)
{
    public const string Unknown = "unknown";

    private readonly Dictionary<string, long> _tiers = LoyaltyTiers.Table.ToDictionary(t => t.Tier, _ => 0L, StringComparer.Ordinal);
    private readonly Dictionary<string, long> _ages = AgeGroups.All.ToDictionary(a => a, _ => 0L, StringComparer.Ordinal);
    private readonly Dictionary<string, long> _genders = VoterProfileRules.Genders.Append(Unknown).ToDictionary(g => g, _ => 0L, StringComparer.Ordinal);
    private readonly Dictionary<string, long> _provinces = new(StringComparer.Ordinal);
    private long _points;

    public long Voters { get; private set; }
    public long New { get; private set; }
    public long Returning => Voters - New;
    public IReadOnlyDictionary<string, long> ByTier => _tiers;
    public IReadOnlyDictionary<string, long> ByAgeGroup => _ages;
    public IReadOnlyDictionary<string, long> ByGender => _genders;
    /// <summary>Votes (not voters) per province, only provinces with votes.</summary>
    public IReadOnlyDictionary<string, long> VotesByProvince => _provinces;
    public decimal AverageLoyaltyPoints => Voters == 0 ? 0m : Math.Round((decimal)_points / Voters, 2, MidpointRounding.AwayFromZero);

    /// <summary>Adds one voter with counted votes in the episode.</summary>
    /// <param name="votes">The voter's counted votes in the episode (at least 1).</param>
    /// <param name="lifetimePoints">The loyalty points the voter held as of the episode: those from other episodes when they first voted in it, plus those earned in it.</param>
    public void Add(string? province, string? gender, string? dateOfBirth, DateTimeOffset createdAt, long votes, long lifetimePoints) =>
        Add(province.AsSpan(), gender.AsSpan(), dateOfBirth.AsSpan(), createdAt, votes, lifetimePoints);

    /// <summary>
    /// <see cref="Add(string?, string?, string?, DateTimeOffset, long, long)"/> from the characters of
    /// each field, an empty one for a missing one: a read of 500,000 voters allocates no string per voter.
    /// </summary>
    public void Add(ReadOnlySpan<char> province, ReadOnlySpan<char> gender, ReadOnlySpan<char> dateOfBirth, DateTimeOffset createdAt, long votes,
        long lifetimePoints)
    {
        Voters++;
        if (votingStart is { } start && createdAt >= start) New++;
        _points += lifetimePoints;
        _tiers[LoyaltyTiers.Of(lifetimePoints)]++;
        _ages[AgeGroups.Of(dateOfBirth, ageOn)]++;
        _genders[KnownGenders.TryGetValue(gender, out var known) ? known : Unknown]++;
        var where = KnownProvinces.TryGetValue(province, out var p) ? p : Unknown;
        _provinces[where] = _provinces.GetValueOrDefault(where) + votes;
    }

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> KnownGenders =
        VoterProfileRules.Genders.ToHashSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> KnownProvinces =
        Provinces.All.ToHashSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
}
