using System.Text.Json;

namespace Voting.Server.Infrastructure;

/// <summary>
/// Reads a JSON body with the API's rules: unknown fields ignored, a field of the wrong type
/// or an unparseable body is a 400 INVALID_REQUEST that names the field.
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options) where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, request.HttpContext.RequestAborted);
            return value is null ? (null, Api.BadRequest("Request body must be a JSON object")) : (value, null);
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : null;
            return (null, Api.BadRequest(field is null ? "Request body is not valid JSON" : $"Invalid value for field '{field}'"));
        }
    }

    /// <summary>The error for a required field that is missing.</summary>
    public static IResult Missing(string field) => Api.BadRequest($"Missing required field '{field}'");
}
