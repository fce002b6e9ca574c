using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Voting.Server.ApiDocs;

/// <summary>
/// Request bodies are records of nullable fields so that a missing one can be named in a 400; the
/// framework would call every constructor parameter required. This says which ones the handlers require.
/// </summary>
internal sealed class RequestBodySchemaTransformer : IOpenApiSchemaTransformer
{
    private static readonly Dictionary<string, string[]> Required = new(StringComparer.Ordinal)
    {
        ["OtpBody"] = ["phone_number"],
        ["TokenBody"] = ["phone_number", "code"],
        ["CastVoteBody"] = ["contestant_id", "vote_type"],
        ["PushTokenBody"] = ["platform", "token"],
        ["SignalBody"] = ["event"],
        ["SeasonBody"] = ["name", "year"],
        ["ContestantBody"] = ["name"],
        ["EpisodeBody"] = ["season_id", "episode_number", "title"],
        ["LineupBody"] = ["contestant_id", "performance_order"],
        ["CreditBody"] = ["amount"],
        ["BundleBody"] = ["votes"],
        ["VoidBody"] = ["episode_id", "reason"],
    };

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type.Name.EndsWith("Body", StringComparison.Ordinal) && type.Namespace?.StartsWith("Voting.Server", StringComparison.Ordinal) == true)
            schema.Required = new HashSet<string>(Required.GetValueOrDefault(type.Name, []));
        return Task.CompletedTask;
    }
}
