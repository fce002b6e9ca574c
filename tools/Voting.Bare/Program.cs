using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

// The reference endpoint of tools/bench/vote-bench.sh: the voting server's cast_vote path and
// JSON shapes with no authentication, rate limit, store or writer behind it, so the same wrk
// script measures what ASP.NET Core alone costs on this machine. Kestrel keeps its defaults,
// as in the server; logging is off.
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
});

var app = builder.Build();
long lastVoteId = 0;
app.MapPost("/api/v1/xfactor/voting/cast_vote", async (HttpRequest request, IOptions<JsonOptions> json) =>
{
    CastVoteBody? body;
    try
    {
        body = await JsonSerializer.DeserializeAsync<CastVoteBody>(request.Body, json.Value.SerializerOptions, request.HttpContext.RequestAborted);
    }
    catch (JsonException)
    {
        return Error("Request body is not valid JSON");
    }
    if (body?.ContestantId is not { } contestant) return Error("Missing required field 'contestant_id'");
    var count = body.VoteCount ?? 1;
    var voteId = Interlocked.Increment(ref lastVoteId);
    return TypedResults.Json(new Envelope<CastVoteResponse>(true, new CastVoteResponse(voteId,
        new VoteContestant(contestant, "Contestant", voteId * count),
        new UserStatus(new VotesRemaining(0, 100_000, 50), 100_000, 2 * (int)count))));
});
app.Run();

static IResult Error(string message) =>
    TypedResults.Json(new ErrorEnvelope(false, [message], "INVALID_REQUEST"), statusCode: StatusCodes.Status400BadRequest);

internal sealed record CastVoteBody(long? ContestantId, string? VoteType, long? VoteCount, long? EpisodeId);

internal sealed record Envelope<T>(bool Success, T Data);

internal sealed record ErrorEnvelope(bool Success, IReadOnlyList<string> Errors, string ErrorCode);

internal sealed record VoteContestant(long Id, string Name, long CurrentVotes);

internal sealed record VotesRemaining(long FreeVotes, long VoteBalance, long SmsVotesAvailable);

internal sealed record UserStatus(VotesRemaining VotesRemaining, long VoteBalance, int LoyaltyPointsEarned);

internal sealed record CastVoteResponse(long VoteId, VoteContestant Contestant, UserStatus UserStatus);
