using Microsoft.OpenApi;

namespace Voting.Server.ApiDocs;

/// <summary>The document's security schemes, and which of them an operation's <see cref="Access"/> asks for.</summary>
public static class SecuritySchemes
{
    public const string Viewer = "viewerBearer";
    public const string Operator = "operatorKey";
    public const string Broadcast = "broadcastSignature";
    public const string Smart = "smartSignature";
    public const string Metfone = "metfoneKey";
    public const string GooglePush = "googlePushOidc";

    public static Dictionary<string, IOpenApiSecurityScheme> All() => new()
    {
        [Viewer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "A viewer's access token from POST /api/v1/auth/token (valid 24 hours).",
        },
        [Operator] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Api-Key",
            Description = "A named operator key from configuration (Admin:ApiKeys:<name>, or the single Admin:ApiKey, named admin). " +
                "Every change made with it is recorded in the audit log under its name.",
        },
        [Broadcast] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Broadcast-Signature",
            Description = "`t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\" with Broadcast:SigningSecret>`; one matching v1 suffices.",
        },
        [Smart] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Smart-Signature",
            Description = "Hex HMAC-SHA256 of the raw body with the carrier's secret (Sms:Smart:Secret).",
        },
        [Metfone] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "Metfone's key (Sms:Metfone:Secret) as a bearer token.",
        },
        [GooglePush] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "The OIDC token Google Cloud Pub/Sub push sends: signed by Google, for Purchases:Google:PushAudience, from Purchases:Google:PushServiceAccount.",
        },
    };

    /// <summary>The operation's requirements; an empty requirement object means "no credential needed".</summary>
    public static List<OpenApiSecurityRequirement> For(Access access, OpenApiDocument document) => access switch
    {
        Access.Viewer => [Require(Viewer, document)],
        Access.OptionalViewer => [new OpenApiSecurityRequirement(), Require(Viewer, document)],
        Access.Operator => [Require(Operator, document)],
        Access.BroadcastSignature => [Require(Broadcast, document)],
        Access.SmartSignature => [Require(Smart, document)],
        Access.MetfoneKey => [Require(Metfone, document)],
        Access.GoogleOidc => [Require(GooglePush, document)],
        _ => [new OpenApiSecurityRequirement()],
    };

    /// <summary>Whether a request without any credential is refused with 401.</summary>
    public static bool IsSecured(Access access) => access is not (Access.Public or Access.OptionalViewer);

    private static OpenApiSecurityRequirement Require(string scheme, OpenApiDocument document) =>
        new() { [new OpenApiSecuritySchemeReference(scheme, document)] = [] };
}
