using Voting.LoadTest.Watchers;

namespace Voting.LoadTest.Tests;

public sealed class WatchOptionsTests
{
    [Fact]
    public void WatchersAreSpreadOverProcessesThatStayUnderTheSocketLimit()
    {
        var o = WatchOptions.Parse(["--watchers", "18000", "--votes-per-second", "5000", "--duration", "60", "--warmup", "10"], TimeProvider.System);
        Assert.Equal(2, o.Processes);
        Assert.Equal(5000, o.RequestsPerSecond);
        // Sized for the rate: no voter near 100 requests a minute, enough connections.
        Assert.True(5000.0 * 60 / o.Votes.Voters <= 90, $"{o.Votes.Voters} voters");
        Assert.Equal(100, o.Votes.Connections);

        Assert.Throws<UsageException>(() => WatchOptions.Parse(["--per-process", "20000"], TimeProvider.System));
    }

    [Fact]
    public void VoteSettingsPassThroughAndWinOverTheSizing()
    {
        var o = WatchOptions.Parse(
            ["--url", "http://127.0.0.2:6000", "--voters", "7", "-c", "3", "--vote-count", "5", "--votes-per-second", "100", "--idempotency", "--json", "w.json"],
            TimeProvider.System);
        Assert.Equal(new Uri("http://127.0.0.2:6000/"), o.Votes.BaseUrl);
        Assert.Equal(7, o.Votes.Voters);
        Assert.Equal(3, o.Votes.Connections);
        Assert.True(o.Votes.Idempotency);
        Assert.Equal("w.json", o.Votes.JsonPath);
        Assert.Equal(20, o.RequestsPerSecond);
    }

    [Fact]
    public void AnEpisodeIsOnlyChosenWhenWatchingWithoutVotes()
    {
        Assert.Equal(9, WatchOptions.Parse(["--votes-per-second", "0", "--episode", "9"], TimeProvider.System).EpisodeId);
        Assert.Throws<UsageException>(() => WatchOptions.Parse(["--episode", "9"], TimeProvider.System));
    }
}
