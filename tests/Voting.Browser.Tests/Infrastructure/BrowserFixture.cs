namespace Voting.Browser.Tests.Infrastructure;

/// <summary>
/// One headless Chromium for the browser test collection: Debian's chromium driven by
/// Playwright's bundled driver (Playwright never downloads a browser here). Each test opens its
/// own context, so no cookies or storage cross between tests.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private const string ChromiumVariable = "XFACTOR_CHROMIUM";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        // A busy 2-core machine must not slow the page's timers down while it is "in the background".
        "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("the browser is not started");

    public async Task InitializeAsync()
    {
        // Generous: the machine has 2 cores and other builds may be running; LIVE_RESULTS come once a second.
        Assertions.SetDefaultExpectTimeout(30_000);
        var executable = Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException(
                $"no Chromium at {executable}: install Debian's chromium (scripts/test.sh does) or set {ChromiumVariable}");
        }
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ChromiumArgs,
            Timeout = 60_000,
        });
    }

    /// <summary>A fresh context and page with the given viewport.</summary>
    public async Task<IPage> NewPageAsync(int width = 1920, int height = 1080, bool mobile = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            IsMobile = mobile,
            HasTouch = mobile,
            DeviceScaleFactor = mobile ? 2 : 1,
            Locale = "en-US",
            TimezoneId = "Asia/Phnom_Penh",
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
