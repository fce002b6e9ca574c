using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.WebApp;

/// <summary>
/// The operator console and the viewer web app over HTTP: each page, every file it loads with the
/// right content type, nothing fetched from another origin (no CDN), and uPlot from npm embedded.
/// </summary>
public abstract partial class WebAppServingTests(StoreKind kind)
{
    [Theory]
    [InlineData("/console", "console.js")]
    [InlineData("/vote", "vote.js")]
    public async Task APageAndEveryFileItLoadsAreServedFromThisServer(string path, string script)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        using var page = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", page.Content.Headers.ContentType?.CharSet);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        var html = await page.Content.ReadAsStringAsync();

        var references = Reference().Matches(html).Select(m => m.Groups["url"].Value).ToList();
        Assert.Contains($"/app/assets/{script}", references);
        Assert.Contains("/app/assets/common.js", references);
        Assert.All(references, url => Assert.StartsWith("/app/assets/", url, StringComparison.Ordinal));
        foreach (var url in references)
        {
            using var asset = await server.Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            var expected = Path.GetExtension(url) switch { ".js" => "text/javascript", ".css" => "text/css", ".svg" => "image/svg+xml", _ => "?" };
            Assert.Equal(expected, asset.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(asset.Headers.ETag);
            AssertFetchesNothingElsewhere(url, await asset.Content.ReadAsStringAsync());
        }
        AssertFetchesNothingElsewhere(path, html);
    }

    [Fact]
    public async Task TheConsoleDrawsWithUplotFromNpm()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var html = await server.Client.GetStringAsync("/console");
        Assert.Contains("/app/assets/uPlot.iife.min.js", html, StringComparison.Ordinal);
        Assert.Contains("/app/assets/uPlot.min.css", html, StringComparison.Ordinal);
        var uplot = await server.Client.GetStringAsync("/app/assets/uPlot.iife.min.js");
        // The file npm installed from the lock file: uPlot's own banner names the pinned version.
        Assert.StartsWith("/*! https://github.com/leeoniya/uPlot (v1.6.32) */", uplot, StringComparison.Ordinal);
        var style = await server.Client.GetStringAsync("/app/assets/uPlot.min.css");
        Assert.Contains(".uplot", style, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnchangedFileIsNotSentAgain()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        using var first = await server.Client.GetAsync("/app/assets/vote.js");
        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());
        using var again = new HttpRequestMessage(HttpMethod.Get, "/app/assets/vote.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var answer = await server.Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, answer.StatusCode);

        using var stale = new HttpRequestMessage(HttpMethod.Get, "/app/assets/vote.js");
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"other\""));
        using var full = await server.Client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
    }

    [Theory]
    [InlineData("/app/assets/missing.js")]
    [InlineData("/app/assets/console.html")]
    [InlineData("/app/assets/vote.html")]
    [InlineData("/app/assets/..%2Fappsettings.json")]
    [InlineData("/app/assets/package.json")]
    [InlineData("/console/extra")]
    public async Task WhatIsNotThereIsNotFound(string path)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        using var answer = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
    }

    // Anything a browser would fetch: src/href attributes, CSS url() and @import, script imports and fetches.
    private static void AssertFetchesNothingElsewhere(string name, string text)
    {
        var external = External().Matches(text).Select(m => m.Value).ToList();
        Assert.True(external.Count == 0, $"{name} loads from another origin: {string.Join(", ", external)}");
    }

    [GeneratedRegex("(?:src|href)=\"(?<url>[^\"]+)\"")]
    private static partial Regex Reference();

    [GeneratedRegex("""(?:(?:src|href|action)\s*=\s*["']?|url\(\s*["']?|@import\s+["']|import\s*\(\s*["']|from\s+["']|fetch\(\s*["'`]|new\s+(?:WebSocket|EventSource)\(\s*["'`])(?:https?:)?//""", RegexOptions.IgnoreCase)]
    private static partial Regex External();
}

public sealed class SqliteWebAppServingTests() : WebAppServingTests(StoreKind.Sqlite);

public sealed class PostgresWebAppServingTests() : WebAppServingTests(StoreKind.Postgres);
