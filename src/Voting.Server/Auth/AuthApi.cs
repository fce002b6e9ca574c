using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Voting.Domain.Phones;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Auth;

public sealed record OtpBody(string? PhoneNumber);

public sealed record TokenBody(string? PhoneNumber, string? Code);

public sealed record OtpResponse(int ExpiresIn, string? DevCode);

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, long UserId);

/// <summary>Viewer sign-in: a one-time code by SMS, exchanged for an access token.</summary>
public static class AuthApi
{
    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/auth").AllowAnonymous();
        api.MapPost("/otp", RequestCodeAsync).Accepts<OtpBody>("application/json").Produces<Envelope<OtpResponse>>();
        api.MapPost("/token", TokenAsync).Accepts<TokenBody>("application/json").Produces<Envelope<TokenResponse>>();
        return app;
    }

    private static async Task<IResult> RequestCodeAsync(HttpRequest request, IAuthStore store, SigningKeys keys, SignInLimits limits,
        IOptions<AuthOptions> options, IOptions<JsonOptions> json, IHostEnvironment env, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<OtpBody>(request, json.Value.SerializerOptions);
        if (error is not null) return error;
        if (body!.PhoneNumber is null) return JsonBody.Missing("phone_number");
        if (PhoneNumber.Normalize(body.PhoneNumber) is not { } phone) return InvalidPhone();
        if (limits.TryAcquire(request.HttpContext.Connection.RemoteIpAddress?.ToString(), phone) is { } refused)
        {
            request.HttpContext.Response.Headers.RetryAfter = SignInLimits.Seconds(refused.RetryAfterSeconds);
            return Api.Error(StatusCodes.Status429TooManyRequests, "RATE_LIMITED", refused.Message);
        }

        var o = options.Value;
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var issued = await store.IssueCodeAsync(new NewOneTimeCode(phone, keys.HashCode(phone, code),
            TimeSpan.FromSeconds(o.CodeLifetimeSeconds), o.CodesPerPhonePerHour,
            $"Your XFactor code is {code}. It expires in {o.CodeLifetimeSeconds / 60} minutes."), ct);
        if (!issued)
        {
            // The store does not say when the oldest code of the hour ages out; a full window is
            // the wait that is always enough.
            request.HttpContext.Response.Headers.RetryAfter = "3600";
            return Api.Error(StatusCodes.Status429TooManyRequests, "RATE_LIMITED",
                $"At most {o.CodesPerPhonePerHour} codes per phone number per hour");
        }
        var devCode = o.ReturnDevCode ?? env.IsDevelopment();
        return Api.Ok(new OtpResponse(o.CodeLifetimeSeconds, devCode ? code : null));
    }

    private static async Task<IResult> TokenAsync(HttpRequest request, IAuthStore store, SigningKeys keys, TokenService tokens,
        IOptions<AuthOptions> options, IOptions<JsonOptions> json, CancellationToken ct)
    {
        var (body, error) = await JsonBody.ReadAsync<TokenBody>(request, json.Value.SerializerOptions);
        if (error is not null) return error;
        if (body!.PhoneNumber is null) return JsonBody.Missing("phone_number");
        if (body.Code is null) return JsonBody.Missing("code");
        if (PhoneNumber.Normalize(body.PhoneNumber) is not { } phone) return InvalidPhone();
        // A malformed code is a wrong try like any other: it counts towards killing the code.
        var code = body.Code.Trim();
        var check = await store.VerifyCodeAsync(phone, keys.HashCode(phone, code), options.Value.MaxCodeAttempts, ct);
        if (check.Status != CodeCheckStatus.Ok)
            return Api.Error(StatusCodes.Status401Unauthorized, "INVALID_CODE", "Invalid or expired code");
        return Api.Ok(new TokenResponse(tokens.Issue(check.Voter), "Bearer", options.Value.TokenLifetimeSeconds, check.Voter.Value));
    }

    private static IResult InvalidPhone() =>
        Api.Unprocessable("INVALID_PHONE", "phone_number must be a Cambodian mobile number such as 012345678 or +855 12 345 678");
}
