using System.Globalization;
using System.Text.RegularExpressions;
using Voting.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Voting.Browser.Tests;

/// <summary>
/// The operator console in a real Chromium against the real server: sign-in with the operator
/// key, an episode and its line-up built from the screens, voting opened, the live monitor's
/// votes-per-second chart moving while votes arrive, and the post-show report's CSV downloads.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleTests(BrowserFixture browser)
{
    [Fact]
    public async Task AnOperatorBuildsAnEpisodeOpensVotingAndWatchesTheChartMove()
    {
        await using var server = await VotingTestServer.StartAsync(StoreKind.Sqlite);
        var page = await browser.NewPageAsync(1920, 1080);
        var errors = ConsoleErrors.Watch(page);
        await OpenSignedInAsync(page, server.Address, "/console");

        var season = page.Locator("#season-form");
        await season.Locator("[name=name]").FillAsync("Season 9");
        await season.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("#flash")).ToHaveTextAsync(new Regex(@"^Season \d+ created\.$"));
        await Expect(page.Locator("#episode-form [name=season_id]")).Not.ToHaveValueAsync("");

        var episodeForm = page.Locator("#episode-form");
        await episodeForm.Locator("[name=title]").FillAsync("Grand final");
        await episodeForm.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-episode-id", new Regex(@"^\d+$"));
        var episode = long.Parse(await page.Locator("body").GetAttributeAsync("data-episode-id") ?? "", CultureInfo.InvariantCulture);

        await AddToLineupAsync(page, "Sophea Chan", "សុភា ចាន់");
        await AddToLineupAsync(page, "Dara Kim", "ដារា គីម");
        await Expect(page.Locator("#lineup tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#lineup tbody tr").Nth(0).Locator("td").Nth(0)).ToHaveTextAsync("1");
        await Expect(page.Locator("#lineup tbody tr").Nth(1).Locator("td").Nth(2)).ToHaveTextAsync("ដារា គីម");

        await page.Locator("#open-voting").ClickAsync();
        await Expect(page.Locator("#show-state")).ToHaveAttributeAsync("data-state", "VOTING_OPEN");
        var current = await server.Api.GetAsync("/api/v1/xfactor/voting/current_episode");
        Assert.Equal(episode, current.Data.GetProperty("episode").GetProperty("id").GetInt64());
        var lineup = current.Data.GetProperty("contestants").EnumerateArray().ToList();
        Assert.Equal(["Sophea Chan", "Dara Kim"], lineup.Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("ដារា គីម", lineup[1].GetProperty("khmer_name").GetString());

        await page.Locator(".tabs button[data-tab=monitor]").ClickAsync();
        await Expect(page.Locator("#feed-status")).ToHaveAttributeAsync("data-kind", "live");
        var chart = page.Locator("#vps-chart");
        await Expect(chart.Locator("canvas")).ToBeVisibleAsync();
        await Expect(chart).ToHaveAttributeAsync("data-peak-rate", "0");

        // Votes arrive over HTTP while the operator watches: the chart's rate leaves zero.
        var voter = await server.Api.SignInAsync();
        await server.Api.CreditAsync(voter.UserId, 1000);
        var dara = lineup[1].GetProperty("id").GetInt64();
        for (var i = 0; i < 5; i++)
        {
            await server.Api.VoteOkAsync(voter.Token, dara, "paid", 20);
            await Task.Delay(300);
        }
        await Expect(chart).ToHaveAttributeAsync("data-total", "100");
        await Expect(chart).Not.ToHaveAttributeAsync("data-peak-rate", "0");
        var peak = double.Parse(await chart.GetAttributeAsync("data-peak-rate") ?? "0", CultureInfo.InvariantCulture);
        Assert.InRange(peak, 1, 100);
        await Expect(page.Locator($"#mon-contestants tr[data-contestant-id='{dara}'] .votes")).ToHaveTextAsync("100");
        await Expect(page.Locator("#mon-types tr[data-type=paid] td.num")).ToHaveTextAsync("100", new() { Timeout = 15_000 });
        // The service's own figures from /metrics: the committed paid votes and this page's WebSocket.
        await Expect(page.Locator("#metrics-table")).ToContainTextAsync(new Regex(@"votes_committed_total \{type=paid\}\s*100"), new() { Timeout = 15_000 });
        await Expect(page.Locator("#metrics-table")).ToContainTextAsync("live_connections {channel=websocket}");

        await Screenshots.SaveAsync(page, "console-monitor-1920x1080.png", 1920, 1080);
        await page.SetViewportSizeAsync(390, 844);
        await Expect(page.Locator("#vps-chart canvas")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => document.documentElement.scrollWidth <= innerWidth");
        await Screenshots.SaveAsync(page, "console-monitor-390x844.png", 390, 844);
        errors.AssertNone();
    }

    [Fact]
    public async Task TheScreensWhoseEndpointsTheServerHasNotSayNotAvailableWithoutErrors()
    {
        await using var server = await VotingTestServer.StartAsync(StoreKind.Sqlite);
        var e = await server.Api.OpenEpisodeAsync(contestants: 2);
        var package = await server.Api.CreateAsync("/api/v1/admin/vote_packages", new { name = "Starter", vote_count = 10, price = 0.99m, sort_order = 1 });
        var page = await browser.NewPageAsync(1920, 1080);
        var errors = ConsoleErrors.Watch(page);
        await OpenSignedInAsync(page, server.Address, $"/console?episode={e.EpisodeId}");
        await Expect(page.Locator("#lineup tbody tr")).ToHaveCountAsync(2);

        var documented = await DocumentedAsync(server);
        foreach (var tab in new[] { "monitor", "reviews", "outbox", "catalog", "report", "audit", "episodes" })
        {
            await page.Locator($".tabs button[data-tab={tab}]").ClickAsync();
            await Expect(page.Locator($"#tab-{tab}")).ToBeVisibleAsync();
            await Expect(page.Locator($"#tab-{tab} .card").First).ToBeVisibleAsync();
        }
        await page.Locator(".tabs button[data-tab=catalog]").ClickAsync();
        await Expect(page.Locator("#tab-catalog tr[data-package-id]")).ToHaveCountAsync(1);
        await page.Locator($"#tab-catalog tr[data-package-id='{package}'] button").ClickAsync();
        await Expect(page.Locator($"#tab-catalog tr[data-package-id='{package}'] td").Nth(9)).ToHaveTextAsync("no");
        await page.Locator(".tabs button[data-tab=reviews]").ClickAsync();
        if (!documented.Contains("/api/v1/admin/fraud/reviews"))
            await Expect(page.Locator("#tab-reviews .unavailable")).ToContainTextAsync("not available");
        else
            await Expect(page.Locator("#tab-reviews")).ToContainTextAsync("No open reviews.");
        await page.Locator(".tabs button[data-tab=outbox]").ClickAsync();
        await Expect(page.Locator("#tab-outbox")).ToContainTextAsync("No dead letters.");
        errors.AssertNone();
    }

    [Fact]
    public async Task ThePostShowReportDownloadsEachSectionAsCsv()
    {
        await using var server = await VotingTestServer.StartAsync(StoreKind.Sqlite);
        var e = await server.Api.OpenEpisodeAsync(contestants: 2);
        var voter = await server.Api.SignInAsync();
        await server.Api.VoteOkAsync(voter.Token, e.Contestants[0], "free", 1);

        var page = await browser.NewPageAsync(1920, 1080);
        var errors = ConsoleErrors.Watch(page);
        await OpenSignedInAsync(page, server.Address, $"/console?episode={e.EpisodeId}");
        await page.Locator(".tabs button[data-tab=report]").ClickAsync();
        await Expect(page.Locator("#report-summary")).ToBeVisibleAsync();
        await Expect(page.Locator("#audit [data-consistent]")).ToHaveAttributeAsync("data-consistent", "true");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#csv-downloads button[data-section=contestant_analysis]").ClickAsync());
        Assert.Equal($"episode-{e.EpisodeId}-contestant_analysis.csv", download.SuggestedFilename);
        var path = await download.PathAsync();
        var lines = (await File.ReadAllLinesAsync(path)).Where(l => l.Length > 0).ToList();
        Assert.Contains("contestant_id", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Count);
        await Screenshots.SaveAsync(page, "console-report-1920x1080.png", 1920, 1080);
        errors.AssertNone();
    }

    private static async Task OpenSignedInAsync(IPage page, Uri server, string path)
    {
        var response = await page.GotoAsync(new Uri(server, path).ToString());
        Assert.Equal(200, response?.Status);
        await page.Locator("#key").FillAsync(VotingTestServer.AdminKey);
        await page.Locator("#sign-in-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-signed-in", "true");
        await Expect(page.Locator("#app")).ToBeVisibleAsync();
        // The key is kept for this tab only.
        Assert.Equal(VotingTestServer.AdminKey, await page.EvaluateAsync<string>("sessionStorage.getItem('xfactor.console.key')"));
        Assert.Null(await page.EvaluateAsync<string?>("localStorage.getItem('xfactor.console.key')"));
    }

    private static async Task AddToLineupAsync(IPage page, string name, string khmer)
    {
        var before = await page.Locator("#lineup tbody tr").CountAsync();
        var form = page.Locator("#lineup-form");
        await form.Locator("[name=name]").FillAsync(name);
        await form.Locator("[name=khmer_name]").FillAsync(khmer);
        await form.Locator("button[type=submit]").ClickAsync();
        await Expect(page.Locator("#lineup tbody tr")).ToHaveCountAsync(before + 1);
    }

    private static async Task<HashSet<string>> DocumentedAsync(VotingTestServer server)
    {
        var doc = await server.Api.GetAsync("/openapi/v1.json");
        return doc.Body.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
    }
}
