using Voting.Domain;
using Voting.Server.Infrastructure;
using Voting.Server.Show;
using Voting.Storage;

namespace Voting.Server.Admin;

public sealed record SeasonDto(long Id, string Name, int Year, string Status, DateTimeOffset CreatedAt);
public sealed record SeasonsDto(IReadOnlyList<SeasonDto> Seasons);

public sealed record AdminEpisodeDto(long Id, long SeasonId, int EpisodeNumber, string Title, string? Description, DateTimeOffset? AirDate,
    string VotingState, DateTimeOffset? VotingStart, DateTimeOffset? VotingEnd)
{
    public static AdminEpisodeDto Of(EpisodeRecord e) =>
        new(e.Id.Value, e.SeasonId, e.EpisodeNumber, e.Title, e.Description, e.AirDate, e.Window.State, e.Window.Start, e.Window.End);
}

public sealed record EpisodesDto(IReadOnlyList<AdminEpisodeDto> Episodes);
public sealed record LineupEntryDto(long ContestantId, string Name, string? KhmerName, int BallotNumber, string? SongPerformed, string Status, string? PhotoUrl);
public sealed record EpisodeDetailDto(AdminEpisodeDto Episode, IReadOnlyList<LineupEntryDto> Lineup, ShowStateDto Show);

public sealed record AdminContestantDto(long Id, string Name, string? KhmerName, string? Hometown, int? Age, string? Bio, string? PhotoUrl,
    string Status, DateTimeOffset? EliminatedAt, DateTimeOffset CreatedAt)
{
    public static AdminContestantDto Of(ContestantRecord c) =>
        new(c.Id.Value, c.Name, c.KhmerName, c.Hometown, c.Age, c.Bio, c.PhotoUrl, c.Status, c.EliminatedAt, c.CreatedAt);
}

public sealed record ContestantsDto(IReadOnlyList<AdminContestantDto> Contestants);

/// <summary>The body of PATCH contestants/{id} as documented (every field optional; the handler reads which are present).</summary>
public sealed record ContestantPatchBody(string? Name, string? KhmerName, string? Hometown, int? Age, string? Bio, string? PhotoUrl);

/// <summary>What the operator console reads: seasons, episodes with their line-up and show, contestants; and contestant corrections.</summary>
public static class OperatorReadsApi
{
    public static IEndpointRouteBuilder MapOperatorReadsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/admin").AllowAnonymous().AddEndpointFilter<ApiKeyFilter>();
        api.MapGet("/seasons", SeasonsAsync).Produces<Envelope<SeasonsDto>>();
        api.MapGet("/episodes", EpisodesAsync).Produces<Envelope<EpisodesDto>>();
        api.MapGet("/episodes/{id}", EpisodeAsync).Produces<Envelope<EpisodeDetailDto>>();
        api.MapGet("/contestants", ContestantsAsync).Produces<Envelope<ContestantsDto>>();
        api.MapPatch("/contestants/{id}", PatchContestantAsync).Accepts<ContestantPatchBody>("application/json").Produces<Envelope<AdminContestantDto>>();
        return app;
    }

    private static async Task<IResult> SeasonsAsync(ICatalogStore store, CancellationToken ct)
    {
        var seasons = await store.ListSeasonsAsync(ct);
        return Api.Ok(new SeasonsDto(seasons.Select(s => new SeasonDto(s.Id, s.Name, s.Year, s.Status, s.CreatedAt)).ToList()));
    }

    private static async Task<IResult> EpisodesAsync(HttpRequest request, ICatalogStore store, CancellationToken ct)
    {
        long? season = null;
        if (request.Query.TryGetValue("season_id", out var text))
        {
            if (Api.Id(text.ToString()) is not { } id) return Api.BadRequest("season_id must be a positive integer");
            season = id;
        }
        var episodes = await store.ListEpisodesAsync(season, ct);
        return Api.Ok(new EpisodesDto(episodes.Select(AdminEpisodeDto.Of).ToList()));
    }

    private static async Task<IResult> EpisodeAsync(string id, ICatalogStore catalog, IShowStore shows, TimeProvider time, CancellationToken ct)
    {
        if (Api.Id(id) is not { } episodeId) return EpisodeNotFound();
        var episode = new EpisodeId(episodeId);
        if (await catalog.GetEpisodeAsync(episode, ct) is not { } e || await shows.GetShowAsync(episode, ct) is not { } show) return EpisodeNotFound();
        var lineup = await catalog.GetLineupAsync(episode, ct);
        return Api.Ok(new EpisodeDetailDto(AdminEpisodeDto.Of(e),
            lineup.Select(c => new LineupEntryDto(c.Id.Value, c.Name, c.KhmerName, c.BallotNumber, c.Song, c.Status, c.PhotoUrl)).ToList(),
            ShowView.ToDto(show, time.GetUtcNow())));
    }

    private static async Task<IResult> ContestantsAsync(ICatalogStore store, CancellationToken ct)
    {
        var contestants = await store.ListContestantsAsync(ct);
        return Api.Ok(new ContestantsDto(contestants.Select(AdminContestantDto.Of).ToList()));
    }

    private static async Task<IResult> PatchContestantAsync(string id, HttpRequest request, ICatalogStore store, CancellationToken ct)
    {
        if (Api.Id(id) is not { } contestant) return ContestantNotFound();
        var (patch, error) = await ContestantPatchReader.ReadAsync(request);
        if (error is not null) return error;
        var updated = await store.UpdateContestantAsync(new ContestantId(contestant), patch!, ct);
        return updated is null ? ContestantNotFound() : Api.Ok(AdminContestantDto.Of(updated));
    }

    private static IResult EpisodeNotFound() => Api.NotFound("EPISODE_NOT_FOUND", "Episode not found");
    private static IResult ContestantNotFound() => Api.NotFound("CONTESTANT_NOT_FOUND", "Contestant not found");
}
