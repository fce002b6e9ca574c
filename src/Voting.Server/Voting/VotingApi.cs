using Voting.Domain;
using Voting.Domain.Results;
using Voting.Domain.Voting;
using Voting.Server.Infrastructure;
using Voting.Server.Metrics;
using Voting.Server.Purchases;
using Voting.Storage;

namespace Voting.Server.Voting;

/// <param name="ThumbnailUrl">The seed's field; no episode has media yet, so null.</param>
public sealed record EpisodeDto(long Id, string Title, int EpisodeNumber, string? Description, DateTimeOffset? AirDate,
    DateTimeOffset? VotingStart, DateTimeOffset? VotingEnd, bool VotingActive, TimeRemainingDto TimeRemaining, long TimeRemainingSeconds,
    long TotalVotes, string? ThumbnailUrl, string? VideoUrl);

/// <summary>The contestant's performance in this episode (the seed's shape); judges' scores and videos are not recorded yet: null.</summary>
public sealed record PerformanceDto(int PerformanceOrder, string? SongPerformed, decimal? JudgesScore, string? PerformanceVideoUrl);

public sealed record ContestantDto(long Id, string Name, string? KhmerName, string? Bio, string? Hometown, int? Age,
    string? PhotoUrl, string Status, int BallotNumber, long Votes, decimal Percentage, PerformanceDto Performance);

public sealed record UserVotingStatusDto(bool HasVoted, long FreeVotesUsed, long FreeVotesRemaining, long PaidVotesCast,
    long TotalVotesCast, long VoteBalance);

public sealed record CurrentEpisodeResponse(EpisodeDto Episode, IReadOnlyList<ContestantDto> Contestants,
    UserVotingStatusDto? UserVotingStatus, IReadOnlyList<PackageDto> VotePackages);

public sealed record NoEpisodeResponse(bool Success, string Error, IReadOnlyList<string> Errors, string ErrorCode, EpisodeDto? NextEpisode);

public sealed record HistoryContestantDto(long Id, string Name);

public sealed record HistoryEpisodeDto(long Id, string Title, int EpisodeNumber);

public sealed record HistoryVoteDto(long Id, HistoryContestantDto Contestant, HistoryEpisodeDto Episode, string VoteType, int VoteCount, DateTimeOffset CreatedAt, string Status);

public sealed record PaginationDto(int CurrentPage, long TotalPages, long TotalCount, int PerPage);

public sealed record HistoryResponse(IReadOnlyList<HistoryVoteDto> Votes, PaginationDto Pagination);

/// <summary>A wallet credit: an operator's credit, a purchase, a store refund (negative) or its reversal.</summary>
public sealed record CreditDto(long Id, long Votes, string Kind, string? Reason, DateTimeOffset CreatedAt);

public sealed record BalanceResponse(long Balance, long PendingVotes, long BundleVotes, long LoyaltyPoints,
    IReadOnlyList<RecentPurchaseDto> RecentPurchases, IReadOnlyList<PackageDto> AvailablePackages, IReadOnlyList<CreditDto> RecentCredits);

/// <summary>The viewer's voting API (seed-compatible paths and shapes).</summary>
public static class VotingApi
{
    private const int HistoryPageSize = 20;

    public static IEndpointRouteBuilder MapVotingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/xfactor/voting");
        api.MapGet("/current_episode", CurrentEpisodeAsync).AllowAnonymous().Produces<Envelope<CurrentEpisodeResponse>>();
        api.MapPost("/cast_vote", CastVote.HandleAsync).RequireAuthorization().RequirePerVoterVoteLimit()
            .Accepts<CastVoteBody>("application/json").Produces<Envelope<CastVoteResponse>>().WithCastVoteMetrics(app.ServiceProvider);
        api.MapGet("/results/{episodeId}", ResultsAsync).AllowAnonymous().Produces<Envelope<ResultsResponse>>();
        api.MapGet("/history", HistoryAsync).RequireAuthorization().Produces<Envelope<HistoryResponse>>();
        api.MapGet("/vote_balance", BalanceAsync).RequireAuthorization().Produces<Envelope<BalanceResponse>>();
        return app;
    }

    private static async Task<IResult> CurrentEpisodeAsync(HttpContext http, ICatalogStore catalog, IResultsStore tallies, IVoterStore voters,
        IPurchaseStore purchases, TimeProvider time, CancellationToken ct)
    {
        var episode = await catalog.GetOpenEpisodeAsync(ct);
        if (episode is null)
        {
            var next = await catalog.GetNextEpisodeAsync(ct);
            const string message = "No active voting episode";
            return TypedResults.Json(new NoEpisodeResponse(false, message, [message], "NO_ACTIVE_EPISODE",
                next is null ? null : ToDto(next, 0, time.GetUtcNow())), statusCode: StatusCodes.Status404NotFound);
        }
        var lineup = await catalog.GetLineupAsync(episode.Id, ct);
        var results = await tallies.GetResultsAsync(episode.Id, ct);
        var votes = results.Contestants.ToDictionary(c => c.Contestant, c => c.Votes);
        var total = votes.Values.Sum();
        var contestants = lineup.Select(c =>
        {
            var v = votes.GetValueOrDefault(c.Id);
            return new ContestantDto(c.Id.Value, c.Name, c.KhmerName, c.Bio, c.Hometown, c.Age, c.PhotoUrl, c.Status, c.BallotNumber,
                v, ResultsCalculator.Percentage(v, total), new PerformanceDto(c.BallotNumber, c.Song, null, null));
        }).ToList();

        UserVotingStatusDto? status = null;
        if (CastVote.VoterOf(http.User) is { } voter && await voters.GetVoterSummaryAsync(voter, episode.Id, ct) is { } s)
        {
            status = new UserVotingStatusDto(s.VotesCast > 0, s.FreeVotesUsed, Math.Max(0, VoteRules.FreeVotesPerEpisode - s.FreeVotesUsed),
                s.PaidVotesCast, s.VotesCast, s.VoteBalance);
        }
        return Api.Ok(new CurrentEpisodeResponse(ToDto(episode, total, time.GetUtcNow()), contestants, status,
            await PurchaseApi.ActivePackagesAsync(purchases, ct)));
    }

    public static EpisodeDto ToDto(EpisodeRecord e, long totalVotes, DateTimeOffset now)
    {
        var remaining = e.Window.SecondsRemaining(now);
        return new(e.Id.Value, e.Title, e.EpisodeNumber, e.Description, e.AirDate, e.Window.Start, e.Window.End,
            e.Window.IsOpenAt(now), TimeRemainingDto.Of(remaining), remaining, totalVotes, null, null);
    }

    private static async Task<IResult> ResultsAsync(string episodeId, ResultsReader results, CancellationToken ct)
    {
        if (Api.Id(episodeId) is not { } id || await results.ReadAsync(new EpisodeId(id), ct) is not { } r)
            return Api.NotFound("EPISODE_NOT_FOUND", "Episode not found");
        return Api.Ok(r);
    }

    private static async Task<IResult> HistoryAsync(HttpContext http, IVoterStore store, string? page, CancellationToken ct)
    {
        if (CastVote.VoterOf(http.User) is not { } voter) return Api.Unauthorized();
        var p = 1;
        if (page is not null && (!int.TryParse(page, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out p) || p < 1))
            return Api.BadRequest("page must be a positive integer");
        var history = await store.GetHistoryAsync(voter, p, HistoryPageSize, ct);
        var rows = history.Rows.Select(r => new HistoryVoteDto(r.Id, new HistoryContestantDto(r.Contestant.Value, r.ContestantName),
            new HistoryEpisodeDto(r.Episode.Value, r.EpisodeTitle, r.EpisodeNumber), r.Type.ToWire(), r.Count, r.CreatedAt, r.Voided ? "voided" : "counted")).ToList();
        var pages = (history.TotalCount + HistoryPageSize - 1) / HistoryPageSize;
        return Api.Ok(new HistoryResponse(rows, new PaginationDto(p, pages, history.TotalCount, HistoryPageSize)));
    }

    private static async Task<IResult> BalanceAsync(HttpContext http, IVoterStore store, IWalletStore wallet, IPurchaseStore purchases, CancellationToken ct)
    {
        if (CastVote.VoterOf(http.User) is not { } voter) return Api.Unauthorized();
        var summary = await store.GetVoterSummaryAsync(voter, null, ct);
        if (summary is null) return Api.Unauthorized("Voter not found");
        var credits = await wallet.GetRecentCreditsAsync(voter, 10, ct);
        var recent = await purchases.GetRecentPurchasesAsync(voter, 5, ct);
        // A purchase is credited in the transaction that records it: none is ever pending.
        return Api.Ok(new BalanceResponse(summary.VoteBalance, 0, summary.BundleVotes, summary.LoyaltyPoints,
            [.. recent.Select(RecentPurchaseDto.Of)], await PurchaseApi.ActivePackagesAsync(purchases, ct),
            [.. credits.Select(c => new CreditDto(c.Id, c.Amount, c.Kind, c.Reason, c.CreatedAt))]));
    }
}
