using Microsoft.OpenApi;
using Voting.Server.Sms;

namespace Voting.Server.ApiDocs;

/// <summary>How a caller proves who it is; each maps to a security scheme of the document.</summary>
public enum Access
{
    /// <summary>Anyone (health, sign-in, public reads).</summary>
    Public,
    /// <summary>Anyone; a viewer's bearer token, when sent, personalises the answer.</summary>
    OptionalViewer,
    /// <summary>A viewer's bearer JWT (inferred from <c>RequireAuthorization()</c>).</summary>
    Viewer,
    /// <summary>An operator's <c>X-Api-Key</c>.</summary>
    Operator,
    /// <summary>The control room's HMAC <c>X-Broadcast-Signature</c>.</summary>
    BroadcastSignature,
    /// <summary>Smart's HMAC <c>X-Smart-Signature</c> over the raw body.</summary>
    SmartSignature,
    /// <summary>Metfone's key as <c>Authorization: Bearer</c>.</summary>
    MetfoneKey,
    /// <summary>Cellcard's <c>api_token</c> field inside the body (no header scheme can say that).</summary>
    BodyToken,
    /// <summary>A body that is itself signed (the App Store's JWS <c>signedPayload</c>, verified to Apple's root).</summary>
    SignedBody,
    /// <summary>Google's OIDC token of a Pub/Sub push subscription as <c>Authorization: Bearer</c>.</summary>
    GoogleOidc,
}

/// <summary>The error codes one status of an operation can carry.</summary>
/// <param name="SchemaName">A component name when the codes need a schema of their own; otherwise one is derived.</param>
/// <param name="Extend">Adds fields some answers keep beside the envelope (current_episode's 404).</param>
public sealed record ErrorDoc(IReadOnlyList<string> Codes, string? SchemaName = null, Action<OpenApiSchema, OpenApiDocument>? Extend = null);

/// <summary>What the document says about one operation, keyed by "METHOD /route/{pattern}" in <see cref="OperationCatalog"/>.</summary>
public sealed record OperationDoc(string Id, string Tag, string Summary, string Description)
{
    public Access Access { get; init; } = Access.Public;

    /// <summary>Documented failures by status; 401 for secured operations and 400 for operations with a body are added.</summary>
    public IReadOnlyDictionary<int, ErrorDoc> Errors { get; init; } = new Dictionary<int, ErrorDoc>();

    /// <summary>Request headers from <see cref="ApiHeaders"/>.</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];

    /// <summary>JSON examples of the request body and of the success answer's envelope.</summary>
    public string? RequestExample { get; init; }

    public string? ResponseExample { get; init; }

    /// <summary>A carrier webhook: the carrier's field names, any credential field in the body, and its own answer format.</summary>
    public CarrierWebhookDoc? Webhook { get; init; }
}

/// <summary>A carrier's delivery webhook, which speaks the carrier's format rather than the envelope.</summary>
public sealed record CarrierWebhookDoc(WebhookFieldNames Fields, string? CredentialField, string MediaType,
    Func<OpenApiSchema> Answer);
