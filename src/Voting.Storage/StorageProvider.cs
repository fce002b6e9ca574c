using Microsoft.Extensions.Options;

namespace Voting.Storage;

/// <summary>The store that backs the service, named by <c>Storage:Provider</c>.</summary>
public enum StorageProvider
{
    /// <summary>One process on one SQLite file (the embedded default).</summary>
    Sqlite,

    /// <summary>Several nodes on one PostgreSQL.</summary>
    Postgres,
}

public static class StorageProviders
{
    /// <summary>Null when the name is not a provider; the name is never guessed from anything else.</summary>
    public static StorageProvider? TryParse(string? name) => name?.ToLowerInvariant() switch
    {
        "sqlite" => StorageProvider.Sqlite,
        "postgres" or "postgresql" => StorageProvider.Postgres,
        _ => null,
    };

    /// <exception cref="OptionsValidationException">The name is not a provider.</exception>
    public static StorageProvider Parse(string? name) =>
        TryParse(name) ?? throw new OptionsValidationException("Storage", typeof(StorageOptions), [Invalid(name)]);

    internal static string Invalid(string? name) => $"Storage:Provider must be 'sqlite' or 'postgres', not '{name}'";
}
