using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Voting.Server.ApiDocs;

/// <summary>The document's info, servers, tags and security schemes.</summary>
internal sealed class DocumentInfoTransformer(IConfiguration configuration) : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "XFactor Voting API",
            Version = "1.0.0",
            Description = "Live TV audience voting: viewer sign-in, voting, results, the show's state, and operator actions. " +
                "JSON bodies are snake_case; every JSON answer is an envelope, `{ \"success\": true, \"data\": ... }` or " +
                "`{ \"success\": false, \"errors\": [\"...\"], \"error_code\": \"MACHINE_CODE\" }`. The live channels " +
                "(WebSocket /ws/voting and Server-Sent Events) are described by the AsyncAPI document at /asyncapi/v1.json.",
            License = new OpenApiLicense { Name = "Proprietary", Identifier = "LicenseRef-XFactor-Proprietary" },
            Contact = new OpenApiContact { Name = "XFactor Voting team" },
        };
        // A configured public address wins over the address the document was requested on.
        if (configuration["ApiDocs:ServerUrl"] is { Length: > 0 } url)
            document.Servers = [new OpenApiServer { Url = url.TrimEnd('/'), Description = "This deployment" }];
        else
            foreach (var server in document.Servers ?? [])
            {
                server.Url = server.Url?.TrimEnd('/');
                server.Description ??= "The server that served this document";
            }
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes = SecuritySchemes.All();
        // Every failure is described by a schema with its own codes (ErrorSchemas); the generic one is left unused.
        document.Components.Schemas?.Remove("ErrorEnvelope");
        document.Tags = new HashSet<OpenApiTag>(OperationCatalog.Tags.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
        return Task.CompletedTask;
    }
}
