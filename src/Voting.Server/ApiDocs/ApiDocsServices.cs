namespace Voting.Server.ApiDocs;

/// <summary>The OpenAPI document at /openapi/v1.json and the AsyncAPI document at /asyncapi/v1.json.</summary>
public static class ApiDocsServices
{
    public static IServiceCollection AddApiDocs(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer<DocumentInfoTransformer>();
            o.AddOperationTransformer<OperationDocTransformer>();
            o.AddSchemaTransformer<RequestBodySchemaTransformer>();
        });

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi();
        app.MapGet("/asyncapi/v1.json", (HttpRequest request) =>
                TypedResults.Text(AsyncApiDocument.Build(request.Host.Value ?? "localhost", request.IsHttps).ToJsonString(), "application/json"))
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }
}
