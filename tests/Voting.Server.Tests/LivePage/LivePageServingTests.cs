using System.Net;
using System.Net.Http.Headers;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.LivePage;

/// <summary>The results page and its files over HTTP (what the browser tests then run).</summary>
public abstract class LivePageServingTests(StoreKind kind)
{
    [Fact]
    public async Task AnEpisodesPageIsServedWithItsScriptAndStylesheet()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var e = await server.Api.CreateEpisodeAsync(contestants: 1);

        using var page = await server.Client.GetAsync($"/live/{e.EpisodeId}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("connect-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("/live/assets/live.js", html, StringComparison.Ordinal);
        Assert.Contains("/live/assets/live.css", html, StringComparison.Ordinal);

        using var script = await server.Client.GetAsync("/live/assets/live.js");
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/ws/voting?episode_id=", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var style = await server.Client.GetAsync("/live/assets/live.css");
        Assert.Equal(HttpStatusCode.OK, style.StatusCode);
        Assert.Equal("text/css", style.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnUnchangedFileIsNotSentAgain()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        using var first = await server.Client.GetAsync("/live/assets/live.js");
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Equal("no-cache", first.Headers.CacheControl?.ToString());

        using var again = new HttpRequestMessage(HttpMethod.Get, "/live/assets/live.js");
        again.Headers.IfNoneMatch.Add(etag);
        using var answer = await server.Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, answer.StatusCode);
        Assert.Empty(await answer.Content.ReadAsByteArrayAsync());

        using var stale = new HttpRequestMessage(HttpMethod.Get, "/live/assets/live.js");
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var full = await server.Client.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, full.StatusCode);
    }

    [Theory]
    [InlineData("/live/999999")]
    [InlineData("/live/0")]
    [InlineData("/live/assets/missing.js")]
    [InlineData("/live/assets/index.html")]
    [InlineData("/live/assets/..%2Fappsettings.json")]
    public async Task WhatIsNotThereIsNotFound(string path)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        using var answer = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
    }
}

public sealed class SqliteLivePageServingTests() : LivePageServingTests(StoreKind.Sqlite);

public sealed class PostgresLivePageServingTests() : LivePageServingTests(StoreKind.Postgres);
