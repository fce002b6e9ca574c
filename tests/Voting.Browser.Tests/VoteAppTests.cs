using System.Text.RegularExpressions;
using Voting.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Voting.Browser.Tests;

/// <summary>
/// The viewer web app on a phone: sign-in with the one-time code (shown beside the field in
/// Development), the line-up with Khmer names and photos, votes of each kind with what is left,
/// a package bought through the test store, history, and counts that follow the live feed.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class VoteAppTests(BrowserFixture browser)
{
    private const string Photo = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'%3E"
        + "%3Crect width='10' height='10' fill='%236a5acd'/%3E%3Ccircle cx='5' cy='4' r='2.4' fill='%23ffd7b0'/%3E%3C/svg%3E";

    [Fact]
    public async Task AViewerSignsInVotesAndSeesTheCountChange()
    {
        await using var server = await VotingTestServer.StartAsync(StoreKind.Sqlite);
        var e = await server.Api.CreateEpisodeAsync(contestants: 0);
        var sophea = await server.Api.CreateAsync("/api/v1/admin/contestants", new { name = "Sophea Chan", khmer_name = "សុភា ចាន់", photo_url = Photo });
        var dara = await server.Api.CreateAsync("/api/v1/admin/contestants", new { name = "Dara Kim", khmer_name = "ដារា គីម" });
        await server.Api.AddToLineupAsync(e.EpisodeId, sophea, ballotNumber: 1);
        await server.Api.AddToLineupAsync(e.EpisodeId, dara, ballotNumber: 2);
        await server.Api.OpenAsync(e.EpisodeId);
        await server.Api.CreateAsync("/api/v1/admin/vote_packages", new { name = "Starter", vote_count = 10, bonus_votes = 0, price = 0.99m, currency = "USD", sort_order = 1 });

        var page = await browser.NewPageAsync(390, 844, mobile: true);
        var errors = ConsoleErrors.Watch(page);
        Assert.Equal(200, (await page.GotoAsync(new Uri(server.Address, "/vote").ToString()))?.Status);
        await page.Locator("#phone").FillAsync(ApiDriver.NewPhone());
        await page.Locator("#phone-form button[type=submit]").ClickAsync();
        var devCode = page.Locator("#dev-code");
        await Expect(devCode).ToBeVisibleAsync();
        await Expect(devCode).ToHaveTextAsync(new Regex(@"^Development code: \d{6}$"));
        // Beside the code field, on the same line of a phone's screen.
        var field = await page.Locator("#code").BoundingBoxAsync();
        var shown = await devCode.BoundingBoxAsync();
        Assert.True(field is not null && shown is not null && shown.Y < field.Y + field.Height && shown.Y + shown.Height > field.Y,
            "the development code is not beside the code field");
        await page.Locator("#code").FillAsync(await devCode.GetAttributeAsync("data-code") ?? "");
        await page.Locator("#code-form button[type=submit]").ClickAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-signed-in", "true");

        var cards = page.Locator("#contestants > li");
        await Expect(cards).ToHaveCountAsync(2);
        var a = Card(page, sophea);
        var b = Card(page, dara);
        await Expect(a.Locator(".khmer-name")).ToHaveTextAsync("សុភា ចាន់");
        await Expect(b.Locator(".khmer-name")).ToHaveTextAsync("ដារា គីម");
        await Expect(a.Locator(".avatar img")).ToBeVisibleAsync();
        await Expect(b.Locator(".avatar")).ToHaveTextAsync("DK");
        await Expect(page.Locator("#live-status")).ToHaveAttributeAsync("data-kind", "live");
        await Expect(page.Locator("#free-left")).ToHaveAttributeAsync("data-value", "5");

        await a.Locator("button.vote.free").ClickAsync();
        await Expect(a.Locator(".votes")).ToHaveTextAsync("1 vote");
        await Expect(page.Locator("#free-left")).ToHaveAttributeAsync("data-value", "4");
        await Expect(a.Locator(".pct")).ToHaveTextAsync("100.00%");

        // Another viewer's votes reach this page over the live feed.
        var other = await server.Api.SignInAsync();
        await server.Api.CreditAsync(other.UserId, 10);
        await server.Api.VoteOkAsync(other.Token, dara, "paid", 3);
        await Expect(b.Locator(".votes")).ToHaveTextAsync("3 votes");
        await Expect(a.Locator(".pct")).ToHaveTextAsync("25.00%");

        // A package through the test store, then paid votes from it.
        await page.Locator(".bottom-nav button[data-view=packages]").ClickAsync();
        var first = page.Locator("#packages .package").First;
        await Expect(first).ToContainTextAsync("10 votes");
        await first.Locator("button").ClickAsync();
        await Expect(page.Locator("#package-balance")).ToHaveTextAsync("10");
        await Expect(page.Locator("#purchases li")).ToHaveCountAsync(1);
        await page.Locator(".bottom-nav button[data-view=vote]").ClickAsync();
        await Expect(page.Locator("#balance")).ToHaveAttributeAsync("data-value", "10");
        await page.Locator("#vote-count").SelectOptionAsync("5");
        await a.Locator("button.vote.paid").ClickAsync();
        await Expect(a.Locator(".votes")).ToHaveTextAsync("6 votes");
        await Expect(page.Locator("#balance")).ToHaveAttributeAsync("data-value", "5");
        await Expect(page.Locator("#bundle-left")).ToHaveAttributeAsync("data-value", "0");
        await Expect(a.Locator("button.vote.bundle")).ToBeDisabledAsync();

        // A bundle an operator granted: its votes left are shown, and go down as they are cast.
        var userId = await page.EvaluateAsync<long>("JSON.parse(localStorage.getItem('xfactor.vote.session')).userId");
        await server.Api.GrantBundleAsync(userId, 12);
        await page.ReloadAsync();
        await Expect(page.Locator("#bundle-left")).ToHaveAttributeAsync("data-value", "12");
        await Expect(b.Locator("button.vote.bundle")).ToBeEnabledAsync();
        await page.Locator("#vote-count").SelectOptionAsync("10");
        await b.Locator("button.vote.bundle").ClickAsync();
        await Expect(b.Locator(".votes")).ToHaveTextAsync("13 votes");
        await Expect(page.Locator("#bundle-left")).ToHaveAttributeAsync("data-value", "2");
        await Expect(b.Locator("button.vote.bundle")).ToBeEnabledAsync();
        await Expect(page.Locator("#balance")).ToHaveAttributeAsync("data-value", "5");

        await page.Locator(".bottom-nav button[data-view=results]").ClickAsync();
        await Expect(page.Locator("#ranking > li")).ToHaveCountAsync(2);
        await Expect(page.Locator("#ranking > li").First).ToHaveAttributeAsync("data-contestant-id", dara.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#results-total")).ToHaveTextAsync("19 votes");

        await page.Locator(".bottom-nav button[data-view=history]").ClickAsync();
        await Expect(page.Locator("#history > li")).ToHaveCountAsync(3);
        await Expect(page.Locator("#history > li").First).ToContainTextAsync("10 bundle for Dara Kim");
        await Expect(page.Locator("#history > li").Nth(1)).ToContainTextAsync("5 paid for Sophea Chan");

        // What the page showed is what the server counted.
        var results = await server.Api.ResultsAsync(e.EpisodeId);
        Assert.Equal(19, results.GetProperty("episode").GetProperty("total_votes").GetInt64());

        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= innerWidth"), "the page is wider than the phone");
        await page.Locator(".bottom-nav button[data-view=vote]").ClickAsync();
        await Screenshots.SaveAsync(page, "vote-phone-390x844.png", 390 * 2, 844 * 2);
        errors.AssertNone();
    }

    [Fact]
    public async Task OnADesktopTheLineUpFitsTheScreen()
    {
        await using var server = await VotingTestServer.StartAsync(StoreKind.Sqlite);
        var e = await server.Api.OpenEpisodeAsync(contestants: 4);
        var page = await browser.NewPageAsync(1920, 1080);
        var errors = ConsoleErrors.Watch(page);
        var voter = await server.Api.SignInAsync();
        await page.GotoAsync(new Uri(server.Address, "/vote").ToString());
        // A session kept from an earlier visit: the app goes straight to the line-up.
        await page.EvaluateAsync("t => localStorage.setItem('xfactor.vote.session', JSON.stringify({ token: t, userId: 1, expiresAt: Date.now() + 3600000 }))", voter.Token);
        await page.ReloadAsync();
        await Expect(page.Locator("#contestants > li")).ToHaveCountAsync(4);
        await Expect(page.Locator("#live-status")).ToHaveAttributeAsync("data-kind", "live");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= innerWidth"));
        await Expect(Card(page, e.Contestants[3])).ToBeInViewportAsync();
        await Screenshots.SaveAsync(page, "vote-desktop-1920x1080.png", 1920, 1080);

        await page.Locator("#sign-out").ClickAsync();
        await Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        Assert.Null(await page.EvaluateAsync<string?>("localStorage.getItem('xfactor.vote.session')"));
        errors.AssertNone();
    }

    private static ILocator Card(IPage page, long contestant) =>
        page.Locator($"#contestants > li[data-contestant-id='{contestant}']");
}
