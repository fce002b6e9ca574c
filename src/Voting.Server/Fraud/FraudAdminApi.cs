using System.Globalization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Voting.Domain;
using Voting.Server.Audit;
using Voting.Server.Infrastructure;
using Voting.Server.Voids;
using Voting.Server.Voting;
using Voting.Storage;
using Voting.Storage.Fraud;

namespace Voting.Server.Fraud;

public sealed record ReviewDto(long Id, long VoteId, long VoterId, long EpisodeId, decimal Score, IReadOnlyList<string> Reasons, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt, string? DecidedBy, string? DecisionNote, string? DeviceId, string? Ip)
{
    public static ReviewDto Of(ReviewRecord r) => new(r.Id, r.VoteId, r.VoterId, r.EpisodeId, r.Score / 100m, r.Reasons, r.Status, r.CreatedAt,
        r.DecidedAt, r.DecidedBy, r.DecisionNote, r.DeviceId, r.Ip);
}

public sealed record ReviewsResponse(IReadOnlyList<ReviewDto> Reviews);

public sealed record ReviewVoidBody(string? Reason);

public sealed record ReviewVoidedResponse(ReviewDto Review, VoidDto Void);

public sealed record BlockedDto(long Id, long VoterId, long? EpisodeId, long ContestantId, string VoteType, int VoteCount, decimal Score,
    IReadOnlyList<string> Reasons, bool GeoBlocked, string? Ip, string? DeviceId, DateTimeOffset CreatedAt);

public sealed record BlockedResponse(IReadOnlyList<BlockedDto> Blocked);

public sealed record TravelBody(DateTimeOffset? Until);

public sealed record TravelDto(long VoterId, DateTimeOffset Until);

/// <summary>The operators' side of fraud: the review queue, blocked attempts, travel marks (API.md "Fraud and review").</summary>
public static class FraudAdminApi
{
    public const int DefaultLimit = 100, MaxLimit = 1000;

    public static IEndpointRouteBuilder MapFraudAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/admin").AllowAnonymous().AddEndpointFilter<ApiKeyFilter>();
        api.MapGet("/fraud/reviews", ListReviewsAsync).Produces<Envelope<ReviewsResponse>>().Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest);
        api.MapPost("/fraud/reviews/{id}/approve", ApproveAsync).Produces<Envelope<ReviewDto>>()
            .Produces<ErrorEnvelope>(StatusCodes.Status404NotFound).Produces<ErrorEnvelope>(StatusCodes.Status409Conflict);
        api.MapPost("/fraud/reviews/{id}/void", VoidAsync).Accepts<ReviewVoidBody>("application/json").Produces<Envelope<ReviewVoidedResponse>>()
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest).Produces<ErrorEnvelope>(StatusCodes.Status404NotFound)
            .Produces<ErrorEnvelope>(StatusCodes.Status409Conflict);
        api.MapGet("/fraud/blocked", ListBlockedAsync).Produces<Envelope<BlockedResponse>>().Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest);
        api.MapPost("/users/{id}/travel", TravelAsync).Accepts<TravelBody>("application/json").Produces<Envelope<TravelDto>>()
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest).Produces<ErrorEnvelope>(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ListReviewsAsync(IFraudStore store, string? episode_id, string? status, string? limit, CancellationToken ct)
    {
        if (!TryEpisode(episode_id, out var episode, out var problem) || !TryLimit(limit, out var n, out problem)) return problem!;
        ReviewStatus? wanted = null;
        if (status is not null)
        {
            if (!ReviewStatuses.TryParse(status, out var s)) return Api.BadRequest("Invalid value for 'status': expected open, approved or voided");
            wanted = s;
        }
        var reviews = await store.ListReviewsAsync(episode, wanted, n, ct);
        return Api.Ok(new ReviewsResponse([.. reviews.Select(ReviewDto.Of)]));
    }

    private static async Task<IResult> ApproveAsync(string id, HttpContext http, IFraudStore store, OperatorAudit audit, ILogger<FraudScreen> logger,
        CancellationToken ct)
    {
        if (Api.Id(id) is not { } reviewId) return ReviewNotFound();
        var actor = Operator(http);
        switch (await store.ApproveReviewAsync(reviewId, actor, ct))
        {
            case ReviewDecision.NotFound: return ReviewNotFound();
            case ReviewDecision.InvalidTransition: return Decided(await store.GetReviewAsync(reviewId, ct));
        }
        FraudLog.Decided(logger, reviewId, "approved", actor);
        var approved = (await store.GetReviewAsync(reviewId, ct))!;
        await audit.RecordAsync(http, "fraud_review.approve", $"review:{reviewId}", new { approved.VoteId, approved.VoterId, approved.EpisodeId });
        return Api.Ok(ReviewDto.Of(approved));
    }

    private static async Task<IResult> VoidAsync(string id, HttpContext http, IFraudStore store, IVoidStore voids, VoteWriter writer,
        OperatorAudit audit, IOptions<JsonOptions> json, ILogger<FraudScreen> logger, CancellationToken ct)
    {
        if (Api.Id(id) is not { } reviewId) return ReviewNotFound();
        var (body, error) = await JsonBody.ReadAsync<ReviewVoidBody>(http.Request, json.Value.SerializerOptions);
        if (error is not null) return error;
        if (string.IsNullOrWhiteSpace(body!.Reason)) return JsonBody.Missing("reason");
        if (body.Reason.Length > VoidApi.MaxReasonLength)
            return Api.BadRequest($"Invalid value for field 'reason': at most {VoidApi.MaxReasonLength} characters");
        if (!StorableText.IsStorable(body.Reason)) return Api.BadRequest("Invalid value for field 'reason': not storable text");

        var review = await store.GetReviewAsync(reviewId, ct);
        if (review is null) return ReviewNotFound();
        if (review.Status != ReviewStatus.Open.ToWire()) return Decided(review);
        var actor = Operator(http);
        // A void without refund (fraud), of this one vote row; its transaction decides the review.
        var result = await voids.VoidVotesAsync(new VoidRequest(new EpisodeId(review.EpisodeId), VoidSelector.Votes([review.VoteId]),
            body.Reason.Trim(), Refund: false, actor, null), ct);
        if (result.Status == VoidStatus.ResultsFrozen)
            return Api.Conflict("RESULTS_FROZEN", "The episode's results are final; its votes can no longer be voided");
        if (result.Status != VoidStatus.Ok) throw new InvalidOperationException($"the void of review {reviewId}'s vote answered {result.Status}");
        if (result.RowsVoided > 0)
        {
            writer.TalliesChanged([new EpisodeId(review.EpisodeId)]);
            await audit.RecordAsync(http, "fraud_review.void", $"review:{reviewId}",
                new { review.VoteId, review.VoterId, review.EpisodeId, result.VoidId, reason = body.Reason.Trim() });
        }
        review = await store.GetReviewAsync(reviewId, ct);
        if (review!.Status != ReviewStatus.Voided.ToWire()) return Decided(review); // approved meanwhile by another operator
        FraudLog.Decided(logger, reviewId, "voided", actor);
        return Api.Ok(new ReviewVoidedResponse(ReviewDto.Of(review), new VoidDto(result.VoidId, result.RowsVoided, result.VotesVoided, result.AlreadyVoided)));
    }

    private static async Task<IResult> ListBlockedAsync(IFraudStore store, string? episode_id, string? limit, CancellationToken ct)
    {
        if (!TryEpisode(episode_id, out var episode, out var problem) || !TryLimit(limit, out var n, out problem)) return problem!;
        var blocked = await store.ListBlockedAsync(episode, n, ct);
        return Api.Ok(new BlockedResponse([.. blocked.Select(b => new BlockedDto(b.Id, b.VoterId, b.EpisodeId, b.ContestantId, b.VoteType,
            b.VoteCount, b.Score / 100m, b.Reasons, b.GeoBlocked, b.Ip, b.DeviceId, b.CreatedAt))]));
    }

    private static async Task<IResult> TravelAsync(string id, HttpContext http, IFraudStore store, TravelMarks marks, TimeProvider time,
        OperatorAudit audit, IOptions<JsonOptions> json, CancellationToken ct)
    {
        if (Api.Id(id) is not { } voter) return Api.NotFound("USER_NOT_FOUND", "User not found");
        var (body, error) = await JsonBody.ReadAsync<TravelBody>(http.Request, json.Value.SerializerOptions);
        if (error is not null) return error;
        if (body!.Until is not { } until) return JsonBody.Missing("until");
        if (until > time.GetUtcNow().AddDays(366)) return Api.BadRequest("Invalid value for field 'until': at most a year ahead");
        if (!await store.SetTravelAsync(voter, until, Operator(http), ct)) return Api.NotFound("USER_NOT_FOUND", "User not found");
        marks.Set(voter, until);
        await audit.RecordAsync(http, "voter.travel", $"user:{voter}", new { until });
        return Api.Ok(new TravelDto(voter, until));
    }

    /// <summary>The operator behind the request's key.</summary>
    public static string Operator(HttpContext http) => OperatorName.Of(http) ?? "admin";

    private static IResult ReviewNotFound() => Api.NotFound("REVIEW_NOT_FOUND", "Review not found");

    private static IResult Decided(ReviewRecord? r) => Api.Conflict("INVALID_TRANSITION",
        r is null ? "The review was already decided" : $"The review was already decided: it is {r.Status}");

    private static bool TryEpisode(string? text, out long? episode, out IResult? problem)
    {
        episode = null;
        problem = null;
        if (text is null) return true;
        if (Api.Id(text) is { } e)
        {
            episode = e;
            return true;
        }
        problem = Api.BadRequest("Invalid value for 'episode_id': must be a positive integer");
        return false;
    }

    private static bool TryLimit(string? text, out int limit, out IResult? problem)
    {
        limit = DefaultLimit;
        problem = null;
        if (text is null) return true;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit is >= 1 and <= MaxLimit) return true;
        problem = Api.BadRequest($"Invalid value for 'limit': must be an integer from 1 to {MaxLimit}");
        return false;
    }
}
