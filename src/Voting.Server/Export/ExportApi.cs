using Voting.Domain;
using Voting.Domain.Export;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Export;

/// <summary>
/// GET /api/v1/admin/episodes/{id}/export: the certified export of an episode's ledger as NDJSON, streamed
/// from one snapshot of the store. <c>tools/Voting.Cli verify FILE</c> checks it with nothing but the file.
/// </summary>
public static class ExportApi
{
    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/admin").AllowAnonymous().AddEndpointFilter<ApiKeyFilter>()
            .MapGet("/episodes/{id}/export", ExportAsync)
            .Produces<ExportLine>(StatusCodes.Status200OK, ExportJson.MediaType)
            .Produces<ErrorEnvelope>(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ExportAsync(string id, HttpContext http, IExportStore store, TimeProvider time, CancellationToken ct)
    {
        if (Api.Id(id) is not { } episode) return EpisodeNotFound();
        using var writer = new ExportWriter(http.Response, episode, time);
        try
        {
            if (!await store.ExportEpisodeAsync(new EpisodeId(episode), writer, ct)) return EpisodeNotFound();
            await writer.FinishAsync(ct);
        }
        catch (ExportAbandonedException)
        {
            // The response pipe can report the client gone before RequestAborted fires: the same
            // hang-up, so nothing to answer and nothing to log as an error.
            http.Abort();
        }
        return Results.Empty;
    }

    private static IResult EpisodeNotFound() => Api.NotFound("EPISODE_NOT_FOUND", "Episode not found");
}
