using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Voting.Server.ApiDocs;

/// <summary>Error envelopes as component schemas, each with the enum of the codes it can carry.</summary>
internal static class ErrorSchemas
{
    /// <summary>The schema's component name: its own, one named after a single code, or the operation's and status's.</summary>
    public static string NameOf(ErrorDoc error, string operationId, int status) =>
        error.SchemaName ?? (error.Codes.Count == 1
            ? Pascal(error.Codes[0]) + "Error"
            : string.Create(CultureInfo.InvariantCulture, $"{char.ToUpperInvariant(operationId[0])}{operationId[1..]}{status}Error"));

    /// <summary>A reference to the schema, added to the document's components the first time it is named.</summary>
    public static IOpenApiSchema Reference(ErrorDoc error, string name, OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (document.Components.Schemas.TryGetValue(name, out var existing))
        {
            var codes = ((OpenApiSchema)existing).Properties!["error_code"].Enum!.Select(e => e!.GetValue<string>());
            if (!codes.SequenceEqual(error.Codes))
                throw new InvalidOperationException($"Error schema {name} is named for two different code lists");
        }
        else document.Components.Schemas[name] = Build(error, document);
        return new OpenApiSchemaReference(name, document);
    }

    public static JsonNode Example(ErrorDoc error) => new JsonObject
    {
        ["success"] = false,
        ["errors"] = new JsonArray("A message for people, e.g. to show in the app"),
        ["error_code"] = error.Codes[0],
    };

    private static OpenApiSchema Build(ErrorDoc error, OpenApiDocument document)
    {
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = $"A refusal; error_code is one of {string.Join(", ", error.Codes)}.",
            Required = new HashSet<string> { "success", "errors", "error_code" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["success"] = new OpenApiSchema { Type = JsonSchemaType.Boolean, Description = "Always false." },
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Description = "Messages for people.",
                    Items = new OpenApiSchema { Type = JsonSchemaType.String },
                },
                ["error_code"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Description = "The machine code to branch on.",
                    Enum = error.Codes.Select(c => (JsonNode)JsonValue.Create(c)).ToList(),
                },
            },
        };
        error.Extend?.Invoke(schema, document);
        return schema;
    }

    private static string Pascal(string code) =>
        string.Concat(code.Split('_').Select(w => w[..1] + w[1..].ToLowerInvariant()));
}
