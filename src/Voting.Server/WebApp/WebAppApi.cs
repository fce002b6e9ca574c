using System.Collections.Frozen;
using Voting.Server.LivePage;

namespace Voting.Server.WebApp;

/// <summary>
/// The operator console (<c>/console</c>) and the viewer web app (<c>/vote</c>): static pages that
/// call the public API from the browser. Their own files (WebApp/Assets) and the npm-built
/// third-party ones (uPlot) are embedded at build time and served under <c>/app/assets/</c>.
/// </summary>
public static class WebAppApi
{
    private static readonly FrozenDictionary<string, PageAsset> Assets = PageAssets.Load("app/");

    private static readonly FrozenSet<string> Pages = FrozenSet.ToFrozenSet(["console.html", "vote.html"], StringComparer.Ordinal);

    public static IEndpointRouteBuilder MapWebApp(this IEndpointRouteBuilder app)
    {
        app.MapGet("/console", (HttpContext http) => Page(http, "console.html")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/vote", (HttpContext http) => Page(http, "vote.html")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/app/assets/{name}", (string name, HttpContext http) =>
            !Pages.Contains(name) && Assets.GetValueOrDefault(name) is { } asset ? LivePageApi.Serve(http, asset) : Results.NotFound())
            .AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult Page(HttpContext http, string name) =>
        LivePageApi.Serve(http, Assets.GetValueOrDefault(name) ?? throw new InvalidOperationException($"{name} was not embedded"));
}
