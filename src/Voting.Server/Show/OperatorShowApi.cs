using System.Text;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Voting.Domain;
using Voting.Domain.Show;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Show;

/// <summary>A flat show-control body: the signal's event and data fields, without the signature's envelope.</summary>
public sealed record ShowEventBody(string? Event, long? ContestantId, string? SongName, long? Duration);

/// <summary>
/// Show control for a studio without a broadcast system: the operator's key instead of a signature,
/// the same events, state machine and answers as a signal, and viewers hear of it the same way.
/// </summary>
public static class OperatorShowApi
{
    public static IEndpointRouteBuilder MapOperatorShowApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/admin/episodes/{id}/show", ChangeAsync).AllowAnonymous().AddEndpointFilter<ApiKeyFilter>()
            .Accepts<ShowEventBody>("application/json").Produces<Envelope<ShowStateDto>>();
        return app;
    }

    private static async Task<IResult> ChangeAsync(string id, HttpContext http, ShowService shows, ShutdownGate shutdown, TimeProvider time,
        IOptions<JsonOptions> json, CancellationToken ct)
    {
        if (shutdown.IsClosed) return Api.Unavailable();
        if (Api.Id(id) is not { } episodeId) return Api.NotFound("EPISODE_NOT_FOUND", "Episode not found");
        var (b, error) = await JsonBody.ReadAsync<ShowEventBody>(http.Request, json.Value.SerializerOptions);
        if (error is not null) return error;
        var (command, refused) = ShowCommands.From(b!.Event, b.ContestantId, b.SongName, b.Duration, "");
        if (refused is not null) return refused;
        // The transition log says who closed it.
        if (command is CloseVoting) command = new CloseVoting(CloseReason.Operator);

        var episode = new EpisodeId(episodeId);
        var change = await shows.ChangeAsync(episode, command!, "operator", null, ct);
        return change.Status == ShowChangeStatus.Applied
            ? Results.Text(ShowApi.Answer(change.Show!, time.GetUtcNow()), "application/json", Encoding.UTF8)
            : ShowCommands.Refused(change, episode, command!);
    }
}
