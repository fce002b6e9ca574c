using System.Text.RegularExpressions;
using Voting.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Voting.Browser.Tests;

/// <summary>
/// The results page in a real headless Chromium against the real server: live results, the
/// performer, the countdown and the close, all arriving over the page's WebSocket.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LivePageTests(BrowserFixture browser)
{
    [Fact]
    public async Task TheRankingMovesWhenVotesAreCast()
    {
        await using var server = await VotingTestServer.StartAsync(StoreKind.Sqlite);
        var e = await server.Api.OpenEpisodeAsync(contestants: 3);
        var (a, b, c) = (e.Contestants[0], e.Contestants[1], e.Contestants[2]);
        var voter = await server.Api.SignInAsync();
        await server.Api.CreditAsync(voter.UserId, 100);

        var screen = await ResultsScreen.OpenAsync(await browser.NewPageAsync(), server.Address, e.EpisodeId);
        await screen.ExpectLiveAsync();
        await screen.ExpectStateAsync("^VOTING_OPEN$");
        // No votes yet: ballot order, nobody moved.
        await screen.ExpectOrderAsync(a, b, c);
        await Expect(screen.Total).ToHaveTextAsync("0");
        await Expect(screen.Rows.Locator(".change:not(:empty)")).ToHaveCountAsync(0);

        await server.Api.VoteOkAsync(voter.Token, c, "paid", 3);
        await screen.ExpectOrderAsync(c, a, b);
        await Expect(screen.Row(c).Locator(".change")).ToHaveTextAsync("▲2");
        await Expect(screen.Row(a).Locator(".change")).ToHaveTextAsync("▼1");
        await Expect(screen.Row(b).Locator(".change")).ToHaveTextAsync("▼1");
        await Expect(screen.Row(c).Locator(".pct")).ToHaveTextAsync("100.00%");
        await Expect(screen.Row(c).Locator(".count")).ToHaveTextAsync("3 votes");
        await Expect(screen.Row(c)).ToHaveClassAsync(new Regex(@"\blead\b"));
        await Expect(screen.Total).ToHaveTextAsync("3");

        await server.Api.VoteOkAsync(voter.Token, b, "paid", 5);
        await screen.ExpectOrderAsync(b, c, a);
        await Expect(screen.Row(b).Locator(".change")).ToHaveTextAsync("▲2");
        await Expect(screen.Row(c).Locator(".change")).ToHaveTextAsync("▼1");
        await Expect(screen.Row(b).Locator(".pct")).ToHaveTextAsync("62.50%");
        await Expect(screen.Row(c).Locator(".pct")).ToHaveTextAsync("37.50%");
        await Expect(screen.Row(a).Locator(".pct")).ToHaveTextAsync("0.00%");
        await Expect(screen.Row(b).Locator(".count")).ToHaveTextAsync("5 votes");
        await Expect(screen.Total).ToHaveTextAsync("8");

        // What the page shows is what the results endpoint says.
        var results = await server.Api.ResultsAsync(e.EpisodeId);
        var rows = results.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([b, c, a], rows.Select(r => r.GetProperty("contestant_id").GetInt64()));
        Assert.Equal(8, results.GetProperty("episode").GetProperty("total_votes").GetInt64());
    }

    [Fact]
    public async Task ThePerformerAndTheCountdownFollowTheBroadcastUntilTheServerClosesVoting()
    {
        await using var server = await VotingTestServer.StartAsync(StoreKind.Sqlite);
        var e = await server.Api.CreateEpisodeAsync(contestants: 3);
        var control = new BroadcastSignals(server.Client);

        var screen = await ResultsScreen.OpenAsync(await browser.NewPageAsync(), server.Address, e.EpisodeId);
        await screen.ExpectLiveAsync();
        await screen.ExpectStateAsync("^IDLE$");
        await Expect(screen.Performer).ToBeHiddenAsync();
        await Expect(screen.Countdown).ToHaveTextAsync("--:--");

        await control.SendAsync("SHOW_START", new { episode_id = e.EpisodeId });
        await screen.ExpectStateAsync("^SHOW_STARTED$");
        await control.SendAsync("PERFORMANCE_START", new { episode_id = e.EpisodeId, contestant_id = e.Contestants[1], song_name = "Champa Battambang" });
        await screen.ExpectStateAsync("^PERFORMANCE$");
        await Expect(screen.Performer).ToBeVisibleAsync();
        await Expect(screen.Page.Locator("#performer-name")).ToContainTextAsync("Contestant 2");
        await Expect(screen.Page.Locator("#performer-song")).ToHaveTextAsync("“Champa Battambang”");
        await control.SendAsync("PERFORMANCE_END", new { episode_id = e.EpisodeId, contestant_id = e.Contestants[1] });

        // A short window, so the final ten-second countdown and the server's own close arrive in the test.
        await control.SendAsync("VOTING_OPEN", new { episode_id = e.EpisodeId, duration = 14 });
        await screen.ExpectStateAsync("^VOTING_OPEN$");
        await screen.ExpectOrderAsync(e.Contestants[0], e.Contestants[1], e.Contestants[2]);
        await Expect(screen.Countdown).ToHaveTextAsync(new Regex(@"^0:(1[0-4]|0\d)$"));
        await Expect(screen.Body).ToHaveAttributeAsync("data-urgency", "final", new() { Timeout = 30_000 });
        await Expect(screen.Countdown).ToHaveTextAsync(new Regex(@"^0:0\d$"));
        await Expect(screen.Banner).ToHaveTextAsync("Last seconds to vote!");

        // Nobody sends VOTING_CLOSE: the server closes on its own clock.
        await screen.ExpectStateAsync("^(VOTING_CLOSED|RESULTS_READY)$");
        await Expect(screen.Countdown).ToHaveTextAsync("0:00");
        await Expect(screen.Page.Locator("#countdown-label")).ToHaveTextAsync("Voting closed");
        var voter = await server.Api.SignInAsync();
        var late = await server.Api.VoteAsync(voter.Token, e.Contestants[0], episode: e.EpisodeId);
        Assert.Equal("VOTING_CLOSED", late.ErrorCode);
    }

    [Fact]
    public async Task AWarningShowsInTheLastMinute()
    {
        await using var server = await VotingTestServer.StartAsync(StoreKind.Sqlite);
        var e = await server.Api.OpenEpisodeAsync(contestants: 2, durationSeconds: 45);

        var screen = await ResultsScreen.OpenAsync(await browser.NewPageAsync(), server.Address, e.EpisodeId);
        await screen.ExpectLiveAsync();
        await Expect(screen.Countdown).ToHaveTextAsync(new Regex(@"^0:[1-4]\d$"));
        await Expect(screen.Body).ToHaveAttributeAsync("data-urgency", "warning");
        await Expect(screen.Banner).ToHaveTextAsync("Less than a minute left to vote");
    }
}
