using System.Text.RegularExpressions;

namespace Voting.Server.Infrastructure;

/// <summary>
/// The operators' keys (header X-Api-Key). Each key has a name, recorded with every action taken with
/// it: <c>Admin:ApiKeys:&lt;name&gt;</c>, and the single <c>Admin:ApiKey</c>, named <c>admin</c>.
/// At least one is required outside Development; without any, Development accepts <see cref="DevelopmentKey"/>.
/// </summary>
public sealed partial class AdminOptions
{
    public const string DevelopmentKey = "dev-admin-key";

    /// <summary>The name the single <see cref="ApiKey"/> (and the Development key) acts under.</summary>
    public const string SingleKeyName = "admin";

    /// <summary>Shorter keys are refused at start-up: an operator key guards the vote counts.</summary>
    public const int MinKeyLength = 16;

    public const int MaxNameLength = 64;

    /// <summary>The single operator key, named <see cref="SingleKeyName"/>. Empty means not configured.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Named operator keys: name → key.</summary>
    public Dictionary<string, string> ApiKeys { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The configured operators, name → key, in name order (not checked: see <see cref="Problem"/>).</summary>
    public IReadOnlyList<(string Name, string Key)> Operators()
    {
        var all = ApiKeys.Select(kv => (kv.Key, kv.Value)).ToList();
        if (!string.IsNullOrEmpty(ApiKey)) all.Add((SingleKeyName, ApiKey));
        return [.. all.OrderBy(o => o.Item1, StringComparer.Ordinal)];
    }

    /// <summary>What is wrong with the keys, naming the configuration keys and never a key's value; or null.</summary>
    public string? Problem(bool isDevelopment)
    {
        var problems = new List<string>();
        if (!isDevelopment && Operators().Count == 0)
            problems.Add("Admin:ApiKey must be configured outside Development (or named keys, Admin:ApiKeys:<name>)");
        if (ApiKeys.Keys.FirstOrDefault(n => n.Equals(SingleKeyName, StringComparison.OrdinalIgnoreCase)) is { } clash && !string.IsNullOrEmpty(ApiKey))
            problems.Add($"Admin:ApiKey and Admin:ApiKeys:{clash} both name the operator '{SingleKeyName}'; keep one");
        foreach (var name in ApiKeys.Keys.Where(n => !NamePattern().IsMatch(n)).Order(StringComparer.Ordinal))
            problems.Add($"Admin:ApiKeys:{name}: an operator's name is 1-{MaxNameLength} letters, digits, '.', '_' or '-'");
        foreach (var (name, key) in Operators().Where(o => o.Key.Length < MinKeyLength))
            problems.Add($"{ConfigKey(name)} is too short: an operator key has at least {MinKeyLength} characters");
        foreach (var same in Operators().GroupBy(o => o.Key, StringComparer.Ordinal).Where(g => g.Count() > 1))
            problems.Add($"{string.Join(" and ", same.Select(o => ConfigKey(o.Name)))} have the same key; each operator needs a key of their own");
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private string ConfigKey(string name) =>
        ApiKeys.ContainsKey(name) ? $"Admin:ApiKeys:{name}" : "Admin:ApiKey";

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex NamePattern();
}
