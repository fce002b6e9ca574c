using System.Security.Claims;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Voting.Domain;
using Voting.Domain.Fraud;
using Voting.Domain.Voting;
using Voting.Server.Fraud;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Voting;

public sealed record CastVoteBody(long? ContestantId, string? VoteType, long? VoteCount, long? EpisodeId);

public sealed record VoteContestantDto(long Id, string Name, long CurrentVotes);

public sealed record VotesRemainingDto(long FreeVotes, long VoteBalance, long SmsVotesAvailable);

public sealed record UserStatusDto(VotesRemainingDto VotesRemaining, long VoteBalance, int LoyaltyPointsEarned);

public sealed record CastVoteResponse(long VoteId, VoteContestantDto Contestant, UserStatusDto UserStatus);

/// <summary>POST cast_vote: parse, then hand the vote to the writer and answer once it is committed.</summary>
public static class CastVote
{
    public static async Task<IResult> HandleAsync(HttpContext http, VoteWriter writer, IdempotencyGate gate, ShutdownGate shutdown,
        FraudScreen fraud, IOptions<JsonOptions> json)
    {
        if (shutdown.IsClosed) return Api.Unavailable();
        if (VoterOf(http.User) is not { } voter) return Api.Unauthorized();

        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (http.Request.Headers.ContainsKey("Idempotency-Key") && !IdempotencyKeys.IsValid(key))
            return Api.BadRequest("Idempotency-Key must be 1-64 printable characters");

        GeoPoint? location = null;
        if (http.Request.Headers.TryGetValue("X-Location", out var gps) && (location = GeoPoint.Parse(gps.ToString())) is null)
            return Api.BadRequest("X-Location must be 'latitude,longitude' in decimal degrees (e.g. 11.5564,104.9282)");

        var (body, error) = await JsonBody.ReadAsync<CastVoteBody>(http.Request, json.Value.SerializerOptions);
        if (error is not null) return error;
        if (body!.ContestantId is not { } contestantId) return JsonBody.Missing("contestant_id");
        if (body.VoteType is null) return JsonBody.Missing("vote_type");
        if (!VoteTypes.TryParse(body.VoteType, out var type)) return Refused(VoteRefusal.InvalidVoteType, 0);
        var count = body.VoteCount ?? 1;
        if (!VoteRules.IsValidCount(count)) return Refused(VoteRefusal.InvalidVoteCount, 0);
        if (body.EpisodeId is <= 0) return Refused(VoteRefusal.EpisodeNotFound, 0);

        var request = new VoteRequest(new ContestantId(contestantId), type, (int)count);
        var fingerprint = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{contestantId}:{body.VoteType}:{count}:{body.EpisodeId}");
        var command = new VoteCommand(voter, body.EpisodeId is { } e ? new EpisodeId(e) : null, request,
            key.Length > 0 ? key : null, fingerprint, Client(http));

        FraudVerdict? verdict = null;
        if (fraud.Enabled)
        {
            // Judged in the batch (a refusal there spends nothing), so a retry of a vote already
            // counted under its Idempotency-Key is answered as the first request was.
            verdict = await fraud.ScreenVoteAsync(command, location);
            if (fraud.MarkOf(verdict) is { } mark) command = command with { Fraud = mark };
        }

        VoteOutcome? outcome;
        try
        {
            if (command.IdempotencyKey is null) outcome = await writer.SubmitAsync(command);
            else
            {
                (outcome, _) = await gate.RunAsync(voter.Value, command.IdempotencyKey, fingerprint, () => writer.SubmitAsync(command));
                outcome ??= new VoteRefused(VoteRefusal.IdempotencyKeyReused, 0);
            }
        }
        catch (VoteWriterUnavailableException busy)
        {
            return Api.Busy(http.Response, VoteWriterUnavailableException.RetryAfterSeconds, $"The vote was not counted ({busy.Message}); try again shortly");
        }
        if (verdict is not null) await fraud.AfterAsync(command, verdict, outcome);
        return Answer(outcome);
    }

    public static IResult Answer(VoteOutcome outcome) => outcome switch
    {
        VoteAccepted a => Api.Ok(new CastVoteResponse(a.VoteId,
            new VoteContestantDto(a.Contestant.Value, a.ContestantName, a.ContestantVotes),
            new UserStatusDto(new VotesRemainingDto(a.Counters.FreeVotesRemaining, a.Counters.VoteBalance, a.Counters.SmsVotesAvailable),
                a.Counters.VoteBalance, a.LoyaltyPointsEarned))),
        VoteRefused r => Refused(r.Refusal, r.Remaining),
        _ => throw new InvalidOperationException("unknown outcome"),
    };

    public static IResult Refused(VoteRefusal refusal, long remaining)
    {
        var status = refusal switch
        {
            VoteRefusal.ContestantNotFound or VoteRefusal.EpisodeNotFound => StatusCodes.Status404NotFound,
            VoteRefusal.IdempotencyKeyReused => StatusCodes.Status409Conflict,
            VoteRefusal.VoterNotFound => StatusCodes.Status401Unauthorized,
            _ => StatusCodes.Status422UnprocessableEntity,
        };
        return Api.Error(status, refusal.Code(), refusal.Message(remaining));
    }

    public static VoterId? VoterOf(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue("sub"), System.Globalization.CultureInfo.InvariantCulture, out var id) ? new VoterId(id) : null;

    private static ClientInfo Client(HttpContext http) => new(
        http.Connection.RemoteIpAddress?.ToString(),
        Truncate(http.Request.Headers.UserAgent.ToString(), 256),
        Truncate(http.Request.Headers["X-Device-ID"].ToString(), 128),
        Truncate(http.Request.Headers["X-App-Version"].ToString(), 32));

    private static string? Truncate(string value, int max) => value.Length == 0 ? null : value.Length <= max ? value : value[..max];
}
