namespace Voting.Server.Infrastructure;

/// <summary>The response envelope of the seed API.</summary>
public sealed record Envelope<T>(bool Success, T Data);

public sealed record ErrorEnvelope(bool Success, IReadOnlyList<string> Errors, string ErrorCode);

/// <summary>Builds envelope responses with the documented status codes.</summary>
public static class Api
{
    public static IResult Ok<T>(T data) => TypedResults.Json(new Envelope<T>(true, data));

    public static IResult Created<T>(T data) => TypedResults.Json(new Envelope<T>(true, data), statusCode: StatusCodes.Status201Created);

    public static IResult Error(int status, string code, string message) =>
        TypedResults.Json(new ErrorEnvelope(false, [message], code), statusCode: status);

    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, "INVALID_REQUEST", message);

    public static IResult NotFound(string code, string message) => Error(StatusCodes.Status404NotFound, code, message);

    public static IResult Conflict(string code, string message) => Error(StatusCodes.Status409Conflict, code, message);

    public static IResult Unprocessable(string code, string message) => Error(StatusCodes.Status422UnprocessableEntity, code, message);

    public static IResult Unauthorized(string message = "Authentication required") =>
        Error(StatusCodes.Status401Unauthorized, "UNAUTHORIZED", message);

    public static IResult Unavailable() =>
        Error(StatusCodes.Status503ServiceUnavailable, "UNAVAILABLE", "The service is shutting down; try again shortly");

    /// <summary>503 UNAVAILABLE with Retry-After: the request was not done and may be sent again as it is.</summary>
    public static IResult Busy(HttpResponse response, int retryAfterSeconds, string message)
    {
        response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Error(StatusCodes.Status503ServiceUnavailable, "UNAVAILABLE", message);
    }

    /// <summary>Writes an error envelope straight to a response (for middleware and auth events).</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ErrorEnvelope(false, [message], code), context.RequestAborted);
    }

    /// <summary>Parses an id from a route; null when it is not a positive integer.</summary>
    public static long? Id(string text) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0 ? id : null;
}

/// <summary>GET /health's answer (not an envelope: load balancers read it as it is).</summary>
public sealed record HealthDto(string Status);
