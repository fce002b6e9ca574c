namespace Voting.Server.Infrastructure;

public sealed class AdminOptions
{
    public const string DevelopmentKey = "dev-admin-key";

    /// <summary>The operators' API key (header X-Api-Key). Required outside Development.</summary>
    public string? ApiKey { get; set; }
}
