using Microsoft.OpenApi;

namespace Voting.Server.ApiDocs;

/// <summary>The request headers operations may take, described once.</summary>
public static class ApiHeaders
{
    public const string IdempotencyKey = "Idempotency-Key";
    public const string DeviceId = "X-Device-ID";
    public const string AppVersion = "X-App-Version";
    public const string Location = "X-Location";
    public const string RetryAfter = "Retry-After";

    public static OpenApiParameter Parameter(string name) => name switch
    {
        IdempotencyKey => Header(name, "1-64 printable ASCII characters chosen by the client per logical request. The same key with the same body " +
            "returns the first answer again and changes nothing; with a different body it is 409 IDEMPOTENCY_KEY_REUSED. Kept at least 24 hours.",
            new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 64, Pattern = "^[\\x21-\\x7E]{1,64}$" }),
        DeviceId => Header(name, "A stable id of the device (kept with the vote for fraud review; at most 128 characters are kept).",
            new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 128 }),
        AppVersion => Header(name, "The app's version, e.g. 2.4.1 (kept with the vote; at most 32 characters are kept).",
            new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 32 }),
        Location => Header(name, "The phone's GPS position as 'latitude,longitude' in decimal degrees, e.g. 11.5564,104.9282. Optional; " +
            "a position outside Cambodia adds to the vote's fraud score. Anything else is 400 INVALID_REQUEST.",
            new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 64, Pattern = "^\\s*-?[0-9]+(\\.[0-9]+)?\\s*,\\s*-?[0-9]+(\\.[0-9]+)?\\s*$" }),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not a documented header"),
    };

    /// <summary>The <c>Retry-After</c> header of 429 answers.</summary>
    public static OpenApiHeader RetryAfterHeader() => new()
    {
        Description = "Seconds to wait before trying again.",
        Required = true,
        Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1" },
    };

    private static OpenApiParameter Header(string name, string description, OpenApiSchema schema) =>
        new() { Name = name, In = ParameterLocation.Header, Required = false, Description = description, Schema = schema };
}
