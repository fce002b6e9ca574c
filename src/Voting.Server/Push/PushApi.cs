using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Voting.Domain.Push;
using Voting.Server.Infrastructure;
using Voting.Server.Voting;
using Voting.Storage;

namespace Voting.Server.Push;

public sealed record PushTokenBody(string? Platform, string? Token);

public sealed record PushTokenDto(string Platform, string Token);

public sealed record PushTokenRemovedDto(string Token);

/// <summary>A viewer's devices for push notifications.</summary>
public static class PushApi
{
    public static IEndpointRouteBuilder MapPushApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/me/push_tokens").RequireAuthorization();
        api.MapPost("", RegisterAsync).Accepts<PushTokenBody>("application/json")
            .Produces<Envelope<PushTokenDto>>(StatusCodes.Status201Created).Produces<Envelope<PushTokenDto>>()
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest).Produces<ErrorEnvelope>(StatusCodes.Status401Unauthorized);
        api.MapDelete("/{token}", RemoveAsync).Produces<Envelope<PushTokenRemovedDto>>()
            .Produces<ErrorEnvelope>(StatusCodes.Status404NotFound).Produces<ErrorEnvelope>(StatusCodes.Status401Unauthorized);
        return app;
    }

    /// <summary>201 for a new token or one moved from another voter (the device signed in as this one), 200 when it was this voter's already.</summary>
    private static async Task<IResult> RegisterAsync(HttpContext http, IPushStore store, IOptions<JsonOptions> json, CancellationToken ct)
    {
        if (CastVote.VoterOf(http.User) is not { } voter) return Api.Unauthorized();
        var (body, error) = await JsonBody.ReadAsync<PushTokenBody>(http.Request, json.Value.SerializerOptions);
        if (error is not null) return error;
        if (body!.Platform is null) return JsonBody.Missing("platform");
        if (!PushPlatforms.IsKnown(body.Platform))
            return Api.BadRequest($"Invalid value for field 'platform': must be one of {string.Join(", ", PushPlatforms.All)}");
        if (body.Token is null) return JsonBody.Missing("token");
        if (!PushPlatforms.IsWellFormedToken(body.Token))
            return Api.BadRequest($"Invalid value for field 'token': must be 1-{PushPlatforms.MaxTokenLength} visible ASCII characters");
        var dto = new PushTokenDto(body.Platform, body.Token);
        return await store.RegisterPushTokenAsync(voter, body.Platform, body.Token, ct) switch
        {
            PushTokenRegistration.AlreadyRegistered => Api.Ok(dto),
            PushTokenRegistration.VoterNotFound => Api.Unauthorized("Voter not found"),
            _ => Api.Created(dto),
        };
    }

    private static async Task<IResult> RemoveAsync(HttpContext http, string token, IPushStore store, CancellationToken ct)
    {
        if (CastVote.VoterOf(http.User) is not { } voter) return Api.Unauthorized();
        return PushPlatforms.IsWellFormedToken(token) && await store.RemovePushTokenAsync(voter, token, ct)
            ? Api.Ok(new PushTokenRemovedDto(token))
            : Api.NotFound("PUSH_TOKEN_NOT_FOUND", "Push token not found");
    }
}
