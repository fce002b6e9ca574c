using System.Collections.Concurrent;
using Voting.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Voting.Browser.Tests;

/// <summary>
/// A network that refuses WebSockets (a proxy, a captive portal): the results page follows the
/// episode over Server-Sent Events instead, and shows contestants' Khmer names either way.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LivePageFallbackTests(BrowserFixture browser)
{
    [Fact]
    public async Task WhenTheWebSocketIsRefusedThePageFollowsTheEpisodeOverServerSentEvents()
    {
        await using var server = await VotingTestServer.StartAsync(StoreKind.Sqlite);
        var e = await server.Api.CreateEpisodeAsync(contestants: 0);
        var sophea = await server.Api.CreateAsync("/api/v1/admin/contestants", new { name = "Sophea Chan", khmer_name = "សុភា ចាន់" });
        var dara = await server.Api.CreateAsync("/api/v1/admin/contestants", new { name = "Dara Kim", khmer_name = "ដារា គីម" });
        await server.Api.AddToLineupAsync(e.EpisodeId, sophea, ballotNumber: 1);
        await server.Api.AddToLineupAsync(e.EpisodeId, dara, ballotNumber: 2);
        await server.Api.OpenAsync(e.EpisodeId);
        var voter = await server.Api.SignInAsync();
        await server.Api.CreditAsync(voter.UserId, 100);

        var page = await browser.NewPageAsync();
        var errors = ConsoleErrors.Watch(page);
        var refused = new ConcurrentQueue<string>();
        // Every WebSocket the page opens is closed at once, before any message, as a hostile proxy would.
        await page.RouteWebSocketAsync(new System.Text.RegularExpressions.Regex("/ws/voting"), ws =>
        {
            refused.Enqueue(ws.Url);
            _ = ws.CloseAsync();
        });
        var streams = new ConcurrentQueue<string>();
        page.Request += (_, request) =>
        {
            if (request.Url.Contains("/api/v1/xfactor/voting/stream/", StringComparison.Ordinal)) streams.Enqueue(request.Url);
        };

        var screen = await ResultsScreen.OpenAsync(page, server.Address, e.EpisodeId);
        await Expect(screen.Body).ToHaveAttributeAsync("data-transport", "sse");
        await screen.ExpectLiveAsync();
        await screen.ExpectOrderAsync(sophea, dara);
        await Expect(screen.Row(sophea).Locator(".khmer")).ToHaveTextAsync("សុភា ចាន់");
        await Expect(screen.Row(dara).Locator(".khmer")).ToHaveTextAsync("ដារា គីម");

        await server.Api.VoteOkAsync(voter.Token, dara, "paid", 4);
        await screen.ExpectOrderAsync(dara, sophea);
        await Expect(screen.Total).ToHaveTextAsync("4");
        await Expect(screen.Row(dara).Locator(".count")).ToHaveTextAsync("4 votes");

        Assert.True(refused.Count >= 2, $"the page tried {refused.Count} WebSocket(s) before falling back");
        Assert.Contains(streams, url => url.EndsWith($"/stream/{e.EpisodeId}", StringComparison.Ordinal) || url.Contains($"/stream/{e.EpisodeId}?", StringComparison.Ordinal));
        errors.AssertNone();
    }

    [Fact]
    public async Task OverAWorkingWebSocketThePageShowsKhmerNamesAndNeverFallsBack()
    {
        await using var server = await VotingTestServer.StartAsync(StoreKind.Sqlite);
        var e = await server.Api.CreateEpisodeAsync(contestants: 0);
        var srey = await server.Api.CreateAsync("/api/v1/admin/contestants", new { name = "Srey Neang", khmer_name = "ស្រីនាង" });
        await server.Api.AddToLineupAsync(e.EpisodeId, srey, ballotNumber: 1);
        await server.Api.OpenAsync(e.EpisodeId);

        var page = await browser.NewPageAsync();
        var errors = ConsoleErrors.Watch(page);
        var screen = await ResultsScreen.OpenAsync(page, server.Address, e.EpisodeId);
        await screen.ExpectLiveAsync();
        await Expect(screen.Body).ToHaveAttributeAsync("data-transport", "ws");
        await Expect(screen.Row(srey).Locator(".khmer")).ToHaveTextAsync("ស្រីនាង");
        await Expect(screen.Row(srey).Locator(".khmer")).ToHaveCSSAsync("font-family", new System.Text.RegularExpressions.Regex("Noto Sans Khmer"));
        errors.AssertNone();
    }
}
