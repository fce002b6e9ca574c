using System.Text.RegularExpressions;

namespace Voting.Browser.Tests.Infrastructure;

/// <summary>The results page as a viewer sees it: the parts the tests read, by role in the page.</summary>
public sealed class ResultsScreen(IPage page)
{
    public IPage Page => page;
    public ILocator Body => page.Locator("body");
    public ILocator Connection => page.Locator("#connection");
    public ILocator Countdown => page.Locator("#countdown");
    public ILocator Total => page.Locator("#total");
    public ILocator Banner => page.Locator("#banner");
    public ILocator Performer => page.Locator("#performer");
    public ILocator Rows => page.Locator("#results > .row");

    public ILocator Row(long contestantId) => page.Locator($"#results > .row[data-contestant-id='{contestantId}']");

    public ILocator RowAt(int index) => Rows.Nth(index);

    public static async Task<ResultsScreen> OpenAsync(IPage page, Uri server, long episodeId)
    {
        var response = await page.GotoAsync(new Uri(server, $"/live/{episodeId}").ToString());
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        return new ResultsScreen(page);
    }

    /// <summary>Waits until the page shows these contestants, first place first.</summary>
    public async Task ExpectOrderAsync(params long[] contestants)
    {
        await Assertions.Expect(Rows).ToHaveCountAsync(contestants.Length);
        for (var i = 0; i < contestants.Length; i++)
        {
            await Assertions.Expect(RowAt(i)).ToHaveAttributeAsync("data-contestant-id", contestants[i].ToString(System.Globalization.CultureInfo.InvariantCulture));
            await Assertions.Expect(RowAt(i).Locator(".rank")).ToHaveTextAsync((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public Task ExpectLiveAsync() => Assertions.Expect(Body).ToHaveAttributeAsync("data-connection", "live");

    public Task ExpectStateAsync(string pattern) => Assertions.Expect(Body).ToHaveAttributeAsync("data-state", new Regex(pattern));
}
