using Voting.Domain;

namespace Voting.Storage;

/// <summary>The catalog as the operator console reads and corrects it.</summary>
public partial interface ICatalogStore
{
    /// <summary>Every season, newest first.</summary>
    Task<IReadOnlyList<SeasonRecord>> ListSeasonsAsync(CancellationToken ct);

    /// <summary>Episodes, of one season or all, by season and episode number.</summary>
    Task<IReadOnlyList<EpisodeRecord>> ListEpisodesAsync(long? season, CancellationToken ct);

    /// <summary>Every contestant, by id.</summary>
    Task<IReadOnlyList<ContestantRecord>> ListContestantsAsync(CancellationToken ct);

    /// <summary>Applies the fields the patch carries, in one transaction; null when the contestant does not exist.</summary>
    Task<ContestantRecord?> UpdateContestantAsync(ContestantId contestant, ContestantPatch patch, CancellationToken ct);
}

public sealed record SeasonRecord(long Id, string Name, int Year, string Status, DateTimeOffset CreatedAt);

public sealed record ContestantRecord(
    ContestantId Id, string Name, string? KhmerName, string? Hometown, int? Age, string? Bio, string? PhotoUrl,
    string Status, DateTimeOffset? EliminatedAt, DateTimeOffset CreatedAt);

/// <summary>A field of a patch: absent (<c>default</c>, unchanged) or present with a value, null clearing it.</summary>
public readonly record struct Patched<T>(bool Present, T Value)
{
    public T Or(T current) => Present ? Value : current;
}

public static class Patched
{
    public static Patched<T> Set<T>(T value) => new(true, value);
}

/// <summary>The fields an operator may change on a contestant.</summary>
public sealed record ContestantPatch(
    Patched<string> Name, Patched<string?> KhmerName, Patched<string?> Hometown, Patched<int?> Age, Patched<string?> Bio, Patched<string?> PhotoUrl);
