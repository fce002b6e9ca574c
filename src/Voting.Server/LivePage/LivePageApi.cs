using Voting.Domain;
using Voting.Storage;

namespace Voting.Server.LivePage;

/// <summary>
/// The public results screen: <c>/live/{episode_id}</c> for the on-air screen and viewers' browsers,
/// and its script and stylesheet under <c>/live/assets/</c>. The page itself follows the episode
/// over <c>/ws/voting</c>.
/// </summary>
public static class LivePageApi
{
    // Scripts, styles and sockets only from this server; photos may come from any https host.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self' https: data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

    public static IEndpointRouteBuilder MapLivePage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/live/{episodeId:long}", ServePageAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/live/assets/{name}", (string name, HttpContext http) =>
            PageAssets.Find(name) is { } asset && name != "index.html" ? Serve(http, asset) : Results.NotFound())
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ServePageAsync(long episodeId, HttpContext http, ICatalogStore store, CancellationToken ct)
    {
        if (episodeId <= 0 || await store.GetEpisodeAsync(new EpisodeId(episodeId), ct) is null)
            return Results.Text("<!doctype html><title>Episode not found</title><p>No such episode.</p>", "text/html; charset=utf-8", statusCode: 404);
        return Serve(http, PageAssets.Find("index.html") ?? throw new InvalidOperationException("the results page was not embedded"));
    }

    /// <summary>An embedded page file with its cache, type and security headers; 304 when the browser has it.</summary>
    internal static IResult Serve(HttpContext http, PageAsset asset)
    {
        var headers = http.Response.Headers;
        // Revalidated on every load, so a deploy reaches the on-air screen at its next reload.
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        if (http.Request.Headers.IfNoneMatch.Contains(asset.ETag)) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(asset.Bytes, asset.ContentType);
    }
}
