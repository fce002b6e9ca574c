using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Voting.Domain;
using Voting.Server.Audit;
using Voting.Server.Infrastructure;
using Voting.Server.Voting;
using Voting.Storage;

namespace Voting.Server.Voids;

public sealed record VoidBody(long? EpisodeId, string? Reason, bool? Refund, IReadOnlyList<long>? VoteIds, long? VoterId, string? DeviceId, string? Ip);

public sealed record VoidDto(long VoidId, long RowsVoided, long VotesVoided, long AlreadyVoided);

/// <summary>
/// POST /api/v1/admin/votes/void: an operator takes vote rows of an episode back out of the count,
/// by vote ids, voter, device or IP, with a reason and with or without a refund. Compensating rows,
/// never an update of a vote; the live results follow within their usual second.
/// </summary>
public static class VoidApi
{
    /// <summary>Most vote ids one request may list.</summary>
    public const int MaxVoteIds = 10_000;
    public const int MaxReasonLength = 500;
    private const int MaxSelectorLength = 256;

    public static IEndpointRouteBuilder MapVoidApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/admin").AllowAnonymous().AddEndpointFilter<ApiKeyFilter>()
            .MapPost("/votes/void", VoidAsync)
            .Accepts<VoidBody>("application/json")
            .Produces<Envelope<VoidDto>>()
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest)
            .Produces<ErrorEnvelope>(StatusCodes.Status404NotFound)
            .Produces<ErrorEnvelope>(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> VoidAsync(HttpContext http, IVoidStore store, VoteWriter writer, IOptions<JsonOptions> json, OperatorAudit audit, CancellationToken ct)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (http.Request.Headers.ContainsKey("Idempotency-Key") && !IdempotencyKeys.IsValid(key))
            return Api.BadRequest("Idempotency-Key must be 1-64 printable characters");
        var (body, error) = await JsonBody.ReadAsync<VoidBody>(http.Request, json.Value.SerializerOptions);
        if (error is not null) return error;
        if (Parse(body!, out var problem) is not { } request) return problem!;

        var result = await store.VoidVotesAsync(request with { IdempotencyKey = key.Length == 0 ? null : key, Actor = OperatorName.Of(http) ?? request.Actor }, ct);
        switch (result.Status)
        {
            case VoidStatus.EpisodeNotFound:
                return Api.NotFound("EPISODE_NOT_FOUND", "Episode not found");
            case VoidStatus.ResultsFrozen:
                return Api.Conflict("RESULTS_FROZEN", "The episode's results are final; its votes can no longer be voided");
            case VoidStatus.KeyReused:
                return Api.Conflict("IDEMPOTENCY_KEY_REUSED", "Idempotency-Key was already used with a different void");
            case VoidStatus.VotesOfAnotherEpisode:
                return Api.BadRequest($"Invalid value for field 'vote_ids': not votes of episode {request.Episode.Value}: {string.Join(", ", result.ForeignVoteIds!.Take(20))}");
        }
        if (result.RowsVoided > 0 && !result.Replayed) writer.TalliesChanged([request.Episode]);
        if (!result.Replayed)
            await audit.RecordAsync(http, "votes.void", $"episode:{request.Episode.Value}", new { result.VoidId, selector = request.Selector.Describe(), request.Reason, request.Refund, result.RowsVoided, result.VotesVoided });
        return Api.Ok(new VoidDto(result.VoidId, result.RowsVoided, result.VotesVoided, result.AlreadyVoided));
    }

    /// <summary>The request, or the 400 that names the field at fault.</summary>
    private static VoidRequest? Parse(VoidBody b, out IResult? problem)
    {
        problem = null;
        if (b.EpisodeId is not { } episode) return Fail(out problem, JsonBody.Missing("episode_id"));
        if (episode <= 0) return Fail(out problem, Api.BadRequest("Invalid value for field 'episode_id': must be a positive integer"));
        if (string.IsNullOrWhiteSpace(b.Reason)) return Fail(out problem, JsonBody.Missing("reason"));
        if (b.Reason.Length > MaxReasonLength) return Fail(out problem, Api.BadRequest($"Invalid value for field 'reason': at most {MaxReasonLength} characters"));
        var named = new[] { ("vote_ids", b.VoteIds is not null), ("voter_id", b.VoterId is not null), ("device_id", b.DeviceId is not null), ("ip", b.Ip is not null) }
            .Where(x => x.Item2).Select(x => x.Item1).ToList();
        if (named.Count != 1)
        {
            return Fail(out problem, Api.BadRequest(named.Count == 0
                ? "Exactly one of 'vote_ids', 'voter_id', 'device_id', 'ip' is required"
                : $"Exactly one of 'vote_ids', 'voter_id', 'device_id', 'ip' is allowed, got {string.Join(" and ", named.Select(n => $"'{n}'"))}"));
        }
        VoidSelector selector;
        if (b.VoteIds is { } ids)
        {
            if (ids.Count is 0 or > MaxVoteIds) return Fail(out problem, Api.BadRequest($"Invalid value for field 'vote_ids': 1 to {MaxVoteIds} ids"));
            if (ids.Any(id => id <= 0)) return Fail(out problem, Api.BadRequest("Invalid value for field 'vote_ids': ids are positive integers"));
            selector = VoidSelector.Votes(ids);
        }
        else if (b.VoterId is { } voter)
        {
            if (voter <= 0) return Fail(out problem, Api.BadRequest("Invalid value for field 'voter_id': must be a positive integer"));
            selector = VoidSelector.OfVoter(voter);
        }
        else if (b.DeviceId is { } device)
        {
            if (device.Length is 0 or > MaxSelectorLength) return Fail(out problem, Api.BadRequest($"Invalid value for field 'device_id': 1 to {MaxSelectorLength} characters"));
            selector = VoidSelector.OfDevice(device);
        }
        else
        {
            if (b.Ip!.Length is 0 or > MaxSelectorLength || !System.Net.IPAddress.TryParse(b.Ip, out _))
                return Fail(out problem, Api.BadRequest("Invalid value for field 'ip': an IPv4 or IPv6 address"));
            selector = VoidSelector.OfIp(b.Ip);
        }
        return new VoidRequest(new EpisodeId(episode), selector, b.Reason.Trim(), b.Refund ?? false, "admin", null);
    }

    private static VoidRequest? Fail(out IResult? problem, IResult error)
    {
        problem = error;
        return null;
    }
}
