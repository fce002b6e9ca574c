using System.Collections.Concurrent;
using Voting.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Voting.Browser.Tests;

/// <summary>The page survives the server going away: it says so, keeps what it showed, and comes back by itself.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LivePageRestartTests(BrowserFixture browser)
{
    [Fact]
    public async Task ThePageRecoversAfterTheServerIsKilledAndStartedAgain()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);
        var server = await ServerProcess.StartAsync(db);
        try
        {
            var e = await server.Api.OpenEpisodeAsync(contestants: 3);
            var (a, b, c) = (e.Contestants[0], e.Contestants[1], e.Contestants[2]);
            var voter = await server.Api.SignInAsync();
            await server.Api.CreditAsync(voter.UserId, 100);
            await server.Api.VoteOkAsync(voter.Token, a, "paid", 2);

            var page = await browser.NewPageAsync();
            var sockets = new ConcurrentQueue<string>();
            page.WebSocket += (_, ws) => sockets.Enqueue(ws.Url);
            var screen = await ResultsScreen.OpenAsync(page, server.Address, e.EpisodeId);
            await screen.ExpectLiveAsync();
            await screen.ExpectOrderAsync(a, b, c);
            await Expect(screen.Total).ToHaveTextAsync("2");

            // SIGKILL: no close frame, nothing graceful.
            var port = server.Address.Port;
            await server.KillAsync();
            await Expect(screen.Body).ToHaveAttributeAsync("data-connection", "reconnecting");
            await Expect(screen.Connection).ToContainTextAsync("Reconnecting");
            // The last known ranking stays on screen while the link is down.
            await screen.ExpectOrderAsync(a, b, c);

            await server.DisposeAsync();
            server = await ServerProcess.StartAsync(db, port: port);
            await screen.ExpectLiveAsync();
            await Expect(screen.Connection).ToHaveTextAsync("Live");

            // Fresh results flow again from the restarted server.
            await server.Api.VoteOkAsync(voter.Token, c, "paid", 5);
            await screen.ExpectOrderAsync(c, a, b);
            await Expect(screen.Total).ToHaveTextAsync("7");
            await Expect(screen.Countdown).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^(2\d|30):\d\d$"));

            var urls = sockets.ToArray();
            Assert.True(urls.Length >= 2, $"expected a reconnect, saw sockets: {string.Join(", ", urls)}");
            Assert.DoesNotContain("last_seq=", urls[0], StringComparison.Ordinal);
            Assert.Contains("last_seq=", urls[^1], StringComparison.Ordinal);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
