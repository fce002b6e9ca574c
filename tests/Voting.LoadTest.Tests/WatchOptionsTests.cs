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

    [Fact]
    public void SeveralUrlsSplitTheWatchersAndVotersAreSetUpOnTheFirst()
    {
        var o = WatchOptions.Parse(
            ["--url", "http://127.0.0.1:5000", "--url", "http://127.0.0.1:5001", "--url", "http://127.0.0.1:5002",
                "--watchers", "54000", "--votes-per-second", "5000", "--server-pid", "11", "--server-pid", "12", "--server-pid", "13"],
            TimeProvider.System);
        Assert.Equal([new Uri("http://127.0.0.1:5000/"), new Uri("http://127.0.0.1:5001/"), new Uri("http://127.0.0.1:5002/")], o.Urls);
        Assert.Equal(o.Urls[0], o.Votes.BaseUrl);
        Assert.Equal([11, 12, 13], o.ServerPids);
        Assert.Equal([18000, 18000, 18000], Enumerable.Range(0, 3).Select(o.WatchersOf));
        // 18,000 a server is over the 15,000 a process by default: two processes each.
        Assert.Equal(6, o.Processes);
        Assert.Equal(100, o.Votes.Connections);
    }

    [Fact]
    public void EachChildWatchesOneServerFromItsOwnSourceAddress()
    {
        var o = WatchOptions.Parse(
            ["--url", "http://127.0.0.1:5000", "--url", "http://127.0.0.1:5001", "--watchers", "7", "--per-process", "2", "--votes-per-second", "0", "--episode", "3"],
            TimeProvider.System);
        var plan = WatchersCommand.Plan(o, 3).ToList();
        // 4 watchers for the first server (the remainder), 3 for the second; at most 2 a process.
        Assert.Equal([2, 2, 2, 1], plan.Select(c => c.Count));
        Assert.Equal([5000, 5000, 5001, 5001], plan.Select(c => c.BaseUrl.Port));
        Assert.Equal(["127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"], plan.Select(c => c.Source.ToString()));
        Assert.All(plan, c => Assert.Equal(3, c.EpisodeId));
    }

    [Fact]
    public void OneUrlIsTheDefaultServerAndSeveralMustBeDistinctAndEachGetAConnection()
    {
        var one = WatchOptions.Parse([], TimeProvider.System);
        Assert.Equal([new Uri("http://127.0.0.1:5000/")], one.Urls);
        Assert.Empty(one.ServerPids);

        string[] two = ["--url", "http://127.0.0.1:5000", "--url", "http://127.0.0.1:5001"];
        Assert.Throws<UsageException>(() => WatchOptions.Parse(["--url", "http://127.0.0.1:5000", "--url", "http://127.0.0.1:5000/"], TimeProvider.System));
        Assert.Throws<UsageException>(() => WatchOptions.Parse([.. two, "--server-pid", "7"], TimeProvider.System));
        Assert.Throws<UsageException>(() => WatchOptions.Parse([.. two, "-c", "1"], TimeProvider.System));
        Assert.Throws<UsageException>(() => WatchOptions.Parse([.. two, "--watchers", "1"], TimeProvider.System));
        Assert.Throws<UsageException>(() => WatchOptions.Parse([.. two, "--url", "http://10.0.0.1:5000"], TimeProvider.System));
    }
}
