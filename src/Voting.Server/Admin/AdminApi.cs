using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Voting.Domain;
using Voting.Domain.Show;
using Voting.Server.Audit;
using Voting.Server.Infrastructure;
using Voting.Server.Show;
using Voting.Storage;

namespace Voting.Server.Admin;

public sealed record SeasonBody(string? Name, int? Year, string? Status);
public sealed record ContestantBody(string? Name, string? KhmerName, string? Hometown, int? Age, string? Bio, string? PhotoUrl);
public sealed record EpisodeBody(long? SeasonId, int? EpisodeNumber, string? Title, string? Description, DateTimeOffset? AirDate);
public sealed record LineupBody(long? ContestantId, int? PerformanceOrder, string? SongPerformed);
public sealed record OpenBody(long? DurationSeconds);
public sealed record CreditBody(long? Amount, string? Reason);
public sealed record BundleBody(long? Votes);

public sealed record IdDto(long Id);
public sealed record LineupDto(long EpisodeId, long ContestantId, int BallotNumber);
public sealed record WindowDto(long EpisodeId, string VotingState, DateTimeOffset? VotingStart, DateTimeOffset? VotingEnd);
public sealed record BalanceDto(long Balance);
public sealed record BundleDto(long BundleId, long RemainingVotes);
public sealed record ContestantAuditDto(long ContestantId, long LedgerVotes, long TallyVotes, bool Consistent);
public sealed record AuditDto(long EpisodeId, long LedgerVotes, long TallyVotes, bool Consistent, bool VoterCountersConsistent,
    IReadOnlyList<ContestantAuditDto> ByContestant, long VoteRows, string Digest, string DigestFormat, long VoidedVotes, long VoidRows,
    bool AnalyticsConsistent);

/// <summary>Operator endpoints: catalog, voting windows, credits, audit.</summary>
public static class AdminApi
{
    private static readonly string[] SeasonStatuses = ["active", "upcoming", "finished"];

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/admin").AllowAnonymous().AddEndpointFilter<ApiKeyFilter>();
        api.MapPost("/seasons", CreateSeasonAsync).Accepts<SeasonBody>("application/json").Produces<Envelope<IdDto>>(StatusCodes.Status201Created);
        api.MapPost("/contestants", CreateContestantAsync).Accepts<ContestantBody>("application/json").Produces<Envelope<IdDto>>(StatusCodes.Status201Created);
        api.MapPost("/episodes", CreateEpisodeAsync).Accepts<EpisodeBody>("application/json").Produces<Envelope<IdDto>>(StatusCodes.Status201Created);
        api.MapPost("/episodes/{id}/contestants", AddToLineupAsync).Accepts<LineupBody>("application/json").Produces<Envelope<LineupDto>>(StatusCodes.Status201Created);
        api.MapPost("/episodes/{id}/voting/open", OpenAsync).Accepts<OpenBody>(isOptional: true, "application/json").Produces<Envelope<WindowDto>>();
        api.MapPost("/episodes/{id}/voting/close", CloseAsync).Produces<Envelope<WindowDto>>();
        api.MapPost("/contestants/{id}/eliminate", EliminateAsync).Produces<Envelope<IdDto>>();
        api.MapPost("/users/{id}/vote_credits", CreditAsync).Accepts<CreditBody>("application/json").Produces<Envelope<BalanceDto>>();
        api.MapPost("/users/{id}/bundles", BundleAsync).Accepts<BundleBody>("application/json").Produces<Envelope<BundleDto>>();
        api.MapGet("/episodes/{id}/audit", AuditAsync).Produces<Envelope<AuditDto>>();
        return app;
    }

    private static JsonOptions Json(HttpContext http) => http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value;

    private static async Task<IResult> CreateSeasonAsync(HttpContext http, ICatalogStore store, OperatorAudit audit, CancellationToken ct)
    {
        var (b, error) = await JsonBody.ReadAsync<SeasonBody>(http.Request, Json(http).SerializerOptions);
        if (error is not null) return error;
        if (string.IsNullOrWhiteSpace(b!.Name)) return JsonBody.Missing("name");
        if (b.Year is not { } year) return JsonBody.Missing("year");
        if (year is < 2000 or > 2100) return Api.BadRequest("year must be between 2000 and 2100");
        var status = b.Status ?? "upcoming";
        if (!SeasonStatuses.Contains(status)) return Api.BadRequest("status must be one of active, upcoming, finished");
        var season = await store.CreateSeasonAsync(b.Name.Trim(), year, status, ct);
        await audit.RecordAsync(http, "season.create", $"season:{season}", new { name = b.Name.Trim(), year, status });
        return Api.Created(new IdDto(season));
    }

    private static async Task<IResult> CreateContestantAsync(HttpContext http, ICatalogStore store, OperatorAudit audit, CancellationToken ct)
    {
        var (b, error) = await JsonBody.ReadAsync<ContestantBody>(http.Request, Json(http).SerializerOptions);
        if (error is not null) return error;
        if (string.IsNullOrWhiteSpace(b!.Name)) return JsonBody.Missing("name");
        if (b.Age is < 0 or > 150) return Api.BadRequest("age must be between 0 and 150");
        var id = await store.CreateContestantAsync(new NewContestant(b.Name.Trim(), b.KhmerName, b.Hometown, b.Age, b.Bio, b.PhotoUrl), ct);
        await audit.RecordAsync(http, "contestant.create", $"contestant:{id}", new { name = b.Name.Trim() });
        return Api.Created(new IdDto(id));
    }

    private static async Task<IResult> CreateEpisodeAsync(HttpContext http, ICatalogStore store, OperatorAudit audit, CancellationToken ct)
    {
        var (b, error) = await JsonBody.ReadAsync<EpisodeBody>(http.Request, Json(http).SerializerOptions);
        if (error is not null) return error;
        if (b!.SeasonId is not { } season) return JsonBody.Missing("season_id");
        if (b.EpisodeNumber is not { } number) return JsonBody.Missing("episode_number");
        if (number < 1) return Api.BadRequest("episode_number must be positive");
        if (string.IsNullOrWhiteSpace(b.Title)) return JsonBody.Missing("title");
        var r = await store.CreateEpisodeAsync(new NewEpisode(season, number, b.Title.Trim(), b.Description, b.AirDate), ct);
        if (r.Status == CatalogStatus.Ok) await audit.RecordAsync(http, "episode.create", $"episode:{r.Id}", new { seasonId = season, episodeNumber = number, title = b.Title.Trim() });
        return r.Status switch
        {
            CatalogStatus.Ok => Api.Created(new IdDto(r.Id)),
            CatalogStatus.SeasonNotFound => Api.NotFound("SEASON_NOT_FOUND", "Season not found"),
            _ => Api.Conflict("EPISODE_EXISTS", r.Detail ?? "Episode already exists"),
        };
    }

    private static async Task<IResult> AddToLineupAsync(string id, HttpContext http, ICatalogStore store, OperatorAudit audit, CancellationToken ct)
    {
        if (Api.Id(id) is not { } episode) return EpisodeNotFound();
        var (b, error) = await JsonBody.ReadAsync<LineupBody>(http.Request, Json(http).SerializerOptions);
        if (error is not null) return error;
        if (b!.ContestantId is not { } contestant) return JsonBody.Missing("contestant_id");
        if (b.PerformanceOrder is not { } order) return JsonBody.Missing("performance_order");
        if (order < 1) return Api.BadRequest("performance_order must be positive");
        var r = await store.AddToLineupAsync(new EpisodeId(episode), new ContestantId(contestant), order, b.SongPerformed, ct);
        if (r.Status == CatalogStatus.Ok) await audit.RecordAsync(http, "lineup.add", $"episode:{episode}", new { contestantId = contestant, ballotNumber = order });
        return r.Status switch
        {
            CatalogStatus.Ok => Api.Created(new LineupDto(episode, contestant, order)),
            CatalogStatus.EpisodeNotFound => EpisodeNotFound(),
            CatalogStatus.ContestantNotFound => ContestantNotFound(),
            _ => Api.Conflict("LINEUP_CONFLICT", r.Detail ?? "Already in the line-up"),
        };
    }

    private static async Task<IResult> OpenAsync(string id, HttpContext http, ShowService shows, OperatorAudit audit, CancellationToken ct)
    {
        if (Api.Id(id) is not { } episode) return EpisodeNotFound();
        OpenBody b = new(null);
        if (http.Request.ContentLength is not 0 && http.Request.HasJsonContentType())
        {
            var (body, error) = await JsonBody.ReadAsync<OpenBody>(http.Request, Json(http).SerializerOptions);
            if (error is not null) return error;
            b = body!;
        }
        var seconds = b.DurationSeconds ?? 1800;
        if (seconds is < 1 or > 86_400) return Api.BadRequest("duration_seconds must be between 1 and 86400");
        // Through the show's state machine, like the control room's VOTING_OPEN, so viewers hear of it.
        var r = await shows.ChangeAsync(new EpisodeId(episode), new OpenVoting(TimeSpan.FromSeconds(seconds)), "operator", null, ct);
        if (r.Status == ShowChangeStatus.Applied) await audit.RecordAsync(http, "voting.open", $"episode:{episode}", new { durationSeconds = seconds, votingEnd = r.Show!.Status.VotingEnd });
        return r.Status switch
        {
            ShowChangeStatus.Applied => Api.Ok(new WindowDto(episode, "open", r.Show!.Status.VotingStart, r.Show.Status.VotingEnd)),
            ShowChangeStatus.NotFound => EpisodeNotFound(),
            ShowChangeStatus.OtherEpisodeOpen => Api.Conflict("VOTING_ALREADY_OPEN", $"Voting is already open for episode {r.OtherEpisode}"),
            _ when r.Refusal == ShowRefusal.AlreadyOpen => Api.Conflict("VOTING_ALREADY_OPEN", $"Voting is already open for episode {episode}"),
            _ => Api.Conflict("INVALID_TRANSITION", $"Voting cannot open while the show is {ShowWire.Name(r.Show!.State)}"),
        };
    }

    private static async Task<IResult> CloseAsync(string id, HttpContext http, ShowService shows, OperatorAudit audit, CancellationToken ct)
    {
        if (Api.Id(id) is not { } episode) return EpisodeNotFound();
        var r = await shows.ChangeAsync(new EpisodeId(episode), new CloseVoting(CloseReason.Operator), "operator", null, ct);
        if (r.Status == ShowChangeStatus.Applied) await audit.RecordAsync(http, "voting.close", $"episode:{episode}");
        if (r.Status == ShowChangeStatus.NotFound) return EpisodeNotFound();
        // Closing a closed window again answers as the first close did.
        if (r.Status == ShowChangeStatus.Applied || r.Refusal == ShowRefusal.AlreadyClosed)
            return Api.Ok(new WindowDto(episode, "closed", r.Show!.Status.VotingStart, r.Show.Status.VotingEnd));
        return Api.Conflict("INVALID_TRANSITION", "Voting has not been opened for this episode");
    }

    private static async Task<IResult> EliminateAsync(string id, HttpContext http, ICatalogStore store, OperatorAudit audit, CancellationToken ct)
    {
        if (Api.Id(id) is not { } contestant) return ContestantNotFound();
        var r = await store.EliminateAsync(new ContestantId(contestant), ct);
        if (r.Status == CatalogStatus.Ok) await audit.RecordAsync(http, "contestant.eliminate", $"contestant:{contestant}");
        return r.Status == CatalogStatus.Ok ? Api.Ok(new IdDto(contestant)) : ContestantNotFound();
    }

    private static async Task<IResult> CreditAsync(string id, HttpContext http, IWalletStore store, OperatorAudit audit, CancellationToken ct)
    {
        if (Api.Id(id) is not { } voter) return UserNotFound();
        var (b, error) = await JsonBody.ReadAsync<CreditBody>(http.Request, Json(http).SerializerOptions);
        if (error is not null) return error;
        if (b!.Amount is not { } amount) return JsonBody.Missing("amount");
        if (amount is < 1 or > 1_000_000) return Api.BadRequest("amount must be between 1 and 1000000");
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var balance = await store.CreditVotesAsync(new VoterId(voter), amount, "admin_credit", b.Reason,
            key.Length is > 0 and <= 64 ? $"admin:{key}" : null, ct);
        if (balance is not { } v) return UserNotFound();
        await audit.RecordAsync(http, "vote_credits.grant", $"user:{voter}", new { amount, reason = b.Reason, balance = v });
        return Api.Ok(new BalanceDto(v));
    }

    private static async Task<IResult> BundleAsync(string id, HttpContext http, IWalletStore store, OperatorAudit audit, CancellationToken ct)
    {
        if (Api.Id(id) is not { } voter) return UserNotFound();
        var (b, error) = await JsonBody.ReadAsync<BundleBody>(http.Request, Json(http).SerializerOptions);
        if (error is not null) return error;
        if (b!.Votes is not { } votes) return JsonBody.Missing("votes");
        if (votes is < 1 or > 1_000_000) return Api.BadRequest("votes must be between 1 and 1000000");
        var r = await store.GrantBundleAsync(new VoterId(voter), votes, "admin", ct);
        if (r is not { } x) return UserNotFound();
        await audit.RecordAsync(http, "bundle.grant", $"user:{voter}", new { votes, bundleId = x.BundleId });
        return Api.Ok(new BundleDto(x.BundleId, x.Remaining));
    }

    private static async Task<IResult> AuditAsync(string id, ICatalogStore catalog, IResultsStore results, CancellationToken ct)
    {
        if (Api.Id(id) is not { } episode || await catalog.GetEpisodeAsync(new EpisodeId(episode), ct) is null) return EpisodeNotFound();
        var a = await results.AuditEpisodeAsync(new EpisodeId(episode), ct);
        return Api.Ok(new AuditDto(episode, a.LedgerVotes, a.TallyVotes, a.Consistent, a.VoterCountersConsistent,
            a.ByContestant.Select(c => new ContestantAuditDto(c.Contestant.Value, c.LedgerVotes, c.TallyVotes, c.LedgerVotes == c.TallyVotes)).ToList(),
            a.VoteRows, a.Digest, DigestFormat, a.VoidedVotes, a.VoidRows, a.AnalyticsConsistent));
    }

    /// <summary>How the audit digest is made (see <see cref="Domain.Audit.VoteDigest"/>).</summary>
    public const string DigestFormat = Domain.Audit.VoteDigest.Format;

    private static IResult EpisodeNotFound() => Api.NotFound("EPISODE_NOT_FOUND", "Episode not found");
    private static IResult ContestantNotFound() => Api.NotFound("CONTESTANT_NOT_FOUND", "Contestant not found");
    private static IResult UserNotFound() => Api.NotFound("USER_NOT_FOUND", "User not found");
}
