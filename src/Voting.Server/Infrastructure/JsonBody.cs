using System.Text.Json;

namespace Voting.Server.Infrastructure;

/// <summary>
/// Reads a JSON body with the API's rules: unknown fields ignored, a field of the wrong type
/// or an unparseable body is a 400 INVALID_REQUEST that names the field, and so is text no store
/// can hold (<see cref="StorableText"/>).
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options) where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, request.HttpContext.RequestAborted);
            if (value is null) return (null, Api.BadRequest("Request body must be a JSON object"));
            return StorableText.FirstUnstorableField(value, options.PropertyNamingPolicy) is { } field ? (null, Unstorable(field)) : (value, null);
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : null;
            return (null, Api.BadRequest(field is null ? "Request body is not valid JSON" : $"Invalid value for field '{field}'"));
        }
    }

    /// <summary>The error for a text field holding what no store can keep.</summary>
    public static IResult Unstorable(string field) =>
        Api.BadRequest($"Invalid value for field '{field}': NUL characters and unpaired surrogates are not allowed");

    /// <summary>The error for a required field that is missing.</summary>
    public static IResult Missing(string field) => Api.BadRequest($"Missing required field '{field}'");
}
