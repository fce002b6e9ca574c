using System.Buffers.Binary;
using Voting.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Voting.Browser.Tests;

/// <summary>
/// The page as it looks on the on-air screen (1920×1080) and on a phone, with a full line-up:
/// a Khmer name, a long name, a photo, spread-out votes. Screenshots are kept (see
/// <see cref="Screenshots"/>) for a person to look at; the layout rules are asserted.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class LivePageScreenshotTests(BrowserFixture browser)
{
    // A tiny SVG portrait, inline so the test needs no photo server.
    private const string Photo = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'%3E"
        + "%3Crect width='10' height='10' fill='%236a5acd'/%3E%3Ccircle cx='5' cy='4' r='2.4' fill='%23ffd7b0'/%3E"
        + "%3Crect x='2' y='7' width='6' height='3' rx='1.5' fill='%23ffd7b0'/%3E%3C/svg%3E";

    private static readonly (string Name, string? Photo, int Votes)[] LineUp =
    [
        ("Sophea Chan", Photo, 4210),
        ("ស្រីនាង ផាន់", null, 3890),
        ("Dara Kim", null, 2875),
        ("Vuthy Sok", null, 1204),
        ("Channary Lim", null, 998),
        ("Bopha Devi Rattanak Sovannaphoum Keo", null, 640),
        ("Rithy Pov", null, 210),
        ("Malis Ouk", null, 3),
    ];

    [Fact]
    public async Task TheOnAirScreenShowsTheWholeRankingIn1920By1080()
    {
        await using var server = await VotingTestServer.StartAsync(StoreKind.Sqlite);
        var (episode, ids) = await SeedAsync(server);
        var page = await browser.NewPageAsync(1920, 1080);
        var screen = await ResultsScreen.OpenAsync(page, server.Address, episode);
        await ExpectSettledAsync(screen, ids);

        // Everything fits on the screen: no row below the fold, nothing wider than it.
        foreach (var row in await screen.Rows.AllAsync())
        {
            var box = await row.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.Y >= 0 && box.Y + box.Height <= 1080, $"a row at y={box.Y} h={box.Height} is off the 1080 screen");
            Assert.True(box.Height >= 60, $"rows are {box.Height}px high: too small to read on air");
        }
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= innerWidth && document.documentElement.scrollHeight <= innerHeight"));

        // Bars are drawn in proportion to the percentages (the leader's bar is full).
        var leader = await BarWidthAsync(screen, ids[0]);
        Assert.True(leader > 200, $"the leader's bar is {leader}px");
        var second = await BarWidthAsync(screen, ids[1]);
        Assert.InRange(second / leader, (3890.0 / 4210) - 0.02, (3890.0 / 4210) + 0.02);
        var last = await BarWidthAsync(screen, ids[^1]);
        Assert.True(last < leader * 0.01 + 2, $"0.02% of the votes drew a {last}px bar");

        // The photo loaded; the others show initials (the Khmer name by its first letter cluster).
        await Expect(screen.Row(ids[0]).Locator(".avatar img")).ToBeVisibleAsync();
        Assert.True(await screen.Row(ids[0]).Locator(".avatar img").EvaluateAsync<int>("i => i.naturalWidth") > 0);
        await Expect(screen.Row(ids[2]).Locator(".avatar")).ToHaveTextAsync("DK");
        await Expect(screen.Row(ids[1]).Locator(".avatar")).ToHaveTextAsync("ស្រី");
        await Expect(screen.Row(ids[1]).Locator(".name")).ToHaveTextAsync("ស្រីនាង ផាន់");

        await Screenshots.SaveAsync(page, "live-on-air-1920x1080.png", 1920, 1080);
    }

    [Fact]
    public async Task OnAPhoneTheRankingReadsWithoutSidewaysScrolling()
    {
        await using var server = await VotingTestServer.StartAsync(StoreKind.Sqlite);
        var (episode, ids) = await SeedAsync(server);
        var page = await browser.NewPageAsync(390, 844, mobile: true);
        var screen = await ResultsScreen.OpenAsync(page, server.Address, episode);
        await ExpectSettledAsync(screen, ids);

        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= innerWidth"),
            "the page is wider than the phone");
        foreach (var row in await screen.Rows.AllAsync())
        {
            var box = await row.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"a row spans x={box.X}..{box.X + box.Width}");
            foreach (var part in new[] { ".rank", ".name", ".pct", ".bar" })
            {
                var partBox = await row.Locator(part).BoundingBoxAsync();
                Assert.NotNull(partBox);
                Assert.True(partBox.Width > 0 && partBox.X >= box.X && partBox.X + partBox.Width <= box.X + box.Width + 0.5,
                    $"{part} is outside its row");
            }
        }
        await Expect(screen.Countdown).ToBeInViewportAsync();
        await Screenshots.SaveAsync(page, "live-phone-390x844.png", 390 * 2, 844 * 2);
    }

    private static async Task<(long Episode, long[] Ids)> SeedAsync(VotingTestServer server)
    {
        var api = server.Api;
        var e = await api.CreateEpisodeAsync(contestants: 0);
        var ids = new long[LineUp.Length];
        for (var i = 0; i < LineUp.Length; i++)
        {
            ids[i] = await api.CreateAsync("/api/v1/admin/contestants", new { name = LineUp[i].Name, photo_url = LineUp[i].Photo });
            await api.AddToLineupAsync(e.EpisodeId, ids[i], ballotNumber: i + 1);
        }
        await api.OpenAsync(e.EpisodeId, durationSeconds: 1500);
        var voter = await api.SignInAsync();
        await api.CreditAsync(voter.UserId, LineUp.Sum(c => c.Votes));
        for (var i = 0; i < LineUp.Length; i++)
        {
            for (var left = LineUp[i].Votes; left > 0; left -= 1000)
                await api.VoteOkAsync(voter.Token, ids[i], "paid", Math.Min(left, 1000));
        }
        return (e.EpisodeId, ids);
    }

    private static async Task ExpectSettledAsync(ResultsScreen screen, long[] ids)
    {
        await screen.ExpectLiveAsync();
        await screen.ExpectOrderAsync(ids);
        await Expect(screen.Total).ToHaveTextAsync("14,030");
        await Expect(screen.Row(ids[0]).Locator(".count")).ToHaveTextAsync("4.2K votes");
        await Expect(screen.Row(ids[0]).Locator(".pct")).ToHaveTextAsync("30.01%");
        await Expect(screen.Row(ids[^1]).Locator(".count")).ToHaveTextAsync("3 votes");
        await Expect(screen.Countdown).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^2[45]:\d\d$"));
        // Bars and rows move with a transition; the layout is measured once they are still.
        await screen.Page.WaitForFunctionAsync(
            "() => [...document.querySelectorAll('.row, .fill')].every(e => e.getAnimations().length === 0)");
    }

    private static async Task<double> BarWidthAsync(ResultsScreen screen, long id) =>
        (await screen.Row(id).Locator(".fill").BoundingBoxAsync())?.Width ?? 0;
}

/// <summary>Where screenshots go: $XFACTOR_SCREENSHOTS, or screenshots/ beside the test assembly.</summary>
public static class Screenshots
{
    public static string Folder =>
        Environment.GetEnvironmentVariable("XFACTOR_SCREENSHOTS") is { Length: > 0 } folder
            ? folder
            : Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>Saves a PNG of the page and checks it is one, of the expected pixel size.</summary>
    public static async Task SaveAsync(IPage page, string name, int width, int height)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name);
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = false });
        Assert.True(png.AsSpan(0, 8).SequenceEqual((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "not a PNG");
        // IHDR: width and height, big-endian, right after the signature and the chunk header.
        Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
        Assert.True(new FileInfo(path).Length > 10_000, "the screenshot is nearly empty");
    }
}
