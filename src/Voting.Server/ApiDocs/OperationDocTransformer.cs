using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Voting.Server.ApiDocs;

/// <summary>
/// Completes each operation from <see cref="OperationCatalog"/>: id, summary, description, tag, security,
/// headers, examples, and every documented failure as an error envelope with its codes.
/// </summary>
internal sealed class OperationDocTransformer : IOpenApiOperationTransformer
{
    private const string Json = "application/json";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var description = context.Description;
        // An operation missing from the catalog keeps what its endpoint says; the document test names it.
        if (OperationCatalog.Find(description.HttpMethod ?? "", description.RelativePath ?? "") is not { } doc) return Task.CompletedTask;
        var document = context.Document ?? throw new InvalidOperationException("no document in the operation transformer's context");

        operation.OperationId ??= doc.Id;
        operation.Summary ??= doc.Summary;
        operation.Description ??= doc.Description;
        operation.Tags = new HashSet<OpenApiTagReference> { new(doc.Tag, document) };

        var metadata = description.ActionDescriptor.EndpointMetadata;
        var access = doc.Access == Access.Public && metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any()
            ? Access.Viewer
            : doc.Access;
        operation.Security = SecuritySchemes.For(access, document);

        foreach (var header in doc.Headers)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(ApiHeaders.Parameter(header));
        }
        if (doc.Webhook is { } hook) DescribeCarrierWebhook(operation, hook);
        else AddErrors(operation, doc, access, document);
        AddExamples(operation, doc);
        return Task.CompletedTask;
    }

    private static void AddErrors(OpenApiOperation operation, OperationDoc doc, Access access, OpenApiDocument document)
    {
        var errors = new Dictionary<int, ErrorDoc>(doc.Errors);
        if (SecuritySchemes.IsSecured(access)) errors.TryAdd(StatusCodes.Status401Unauthorized, new ErrorDoc(["UNAUTHORIZED"]));
        var takesInput = operation.RequestBody is not null || operation.Parameters?.Any(p => p.In == ParameterLocation.Query) == true;
        if (takesInput) errors.TryAdd(StatusCodes.Status400BadRequest, new ErrorDoc(["INVALID_REQUEST"]));

        operation.Responses ??= new OpenApiResponses();
        foreach (var (status, error) in errors.OrderBy(e => e.Key))
        {
            var name = ErrorSchemas.NameOf(error, doc.Id, status);
            var response = new OpenApiResponse
            {
                Description = Reason(status, error),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [Json] = new() { Schema = ErrorSchemas.Reference(error, name, document), Example = ErrorSchemas.Example(error) },
                },
            };
            if (status == StatusCodes.Status429TooManyRequests)
                response.Headers = new Dictionary<string, IOpenApiHeader> { [ApiHeaders.RetryAfter] = ApiHeaders.RetryAfterHeader() };
            operation.Responses[status.ToString(CultureInfo.InvariantCulture)] = response;
        }
    }

    /// <summary>Carrier webhooks take the carrier's fields and answer in its own format, not the envelope.</summary>
    private static void DescribeCarrierWebhook(OpenApiOperation operation, CarrierWebhookDoc hook)
    {
        var f = hook.Fields;
        var fields = new[] { f.From, f.To, f.Text, f.MessageId, f.ReceivedAt }.Concat(hook.CredentialField is { } c ? [c] : []).ToList();
        var body = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Required = new HashSet<string>(fields),
            Properties = fields.ToDictionary(name => name, name => (IOpenApiSchema)new OpenApiSchema { Type = JsonSchemaType.String, Description = FieldMeaning(hook, name) }),
        };
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [Json] = new() { Schema = body },
                ["application/x-www-form-urlencoded"] = new() { Schema = body },
            },
        };
        OpenApiResponse Response(string text) => new()
        {
            Description = text,
            Content = new Dictionary<string, OpenApiMediaType> { [hook.MediaType] = new() { Schema = hook.Answer() } },
        };
        operation.Responses = new OpenApiResponses
        {
            ["200"] = Response("Processed: counted, or refused as a vote with a reply SMS queued. The same message id again counts nothing."),
            ["400"] = Response("The body is not a JSON object or a form, or a required field is missing (in the carrier's format)."),
            ["401"] = Response("Missing or wrong carrier credential; nothing is written (in the carrier's format)."),
            ["413"] = Response("The body is too large (in the carrier's format)."),
            ["503"] = Response("The service is shutting down; deliver again shortly (in the carrier's format)."),
        };
    }

    private static string FieldMeaning(CarrierWebhookDoc hook, string name) =>
        name == hook.Fields.From ? "The sender's phone number."
        : name == hook.Fields.To ? "The short code the text was sent to."
        : name == hook.Fields.Text ? "The text, e.g. VOTE 3 (may be empty: it gets the help reply)."
        : name == hook.Fields.MessageId ? "The carrier's message id (a delivery is applied once per id)."
        : name == hook.Fields.ReceivedAt ? "When the carrier received the text: unix seconds or ISO-8601."
        : "The carrier's API token.";

    private static void AddExamples(OpenApiOperation operation, OperationDoc doc)
    {
        if (doc.RequestExample is { } request && operation.RequestBody?.Content?.TryGetValue(Json, out var media) == true)
            media.Example = JsonNode.Parse(request);
        if (doc.ResponseExample is { } response && operation.Responses is not null)
        {
            var success = operation.Responses.FirstOrDefault(r => r.Key.StartsWith('2')).Value;
            if (success?.Content?.TryGetValue(Json, out var answer) == true) answer.Example = JsonNode.Parse(response);
        }
    }

    private static string Reason(int status, ErrorDoc error) => status switch
    {
        400 => "The request is malformed: a missing field, a field of the wrong type, or an unparseable body.",
        401 => "No, an invalid or an expired credential.",
        404 => "Not found.",
        409 => "A conflict with the current state.",
        422 => "A rule refused the request; nothing was changed.",
        429 => "Too many requests; wait Retry-After seconds.",
        503 => "Temporarily unavailable (shutting down or a dependency is down); try again shortly.",
        _ => $"Refused with {string.Join(", ", error.Codes)}.",
    };
}
