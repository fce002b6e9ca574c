namespace Voting.LoadTest.Tests;

public sealed class VoteOptionsTests
{
    [Fact]
    public void SetupOnlySavesTheVotersAndCastsNothing()
    {
        var o = OptionsParser.ParseVotes(["--voters", "2000", "--setup-only", "--voters-file", "voters.txt"], TimeProvider.System);
        Assert.True(o.SetupOnly);
        Assert.Equal("voters.txt", o.VotersFile);
        Assert.Equal(2000, o.Voters);
        Assert.False(OptionsParser.ParseVotes([], TimeProvider.System).SetupOnly);
    }

    [Fact]
    public void SetupOnlyWithoutAVotersFileIsRefused()
    {
        var e = Assert.Throws<UsageException>(() => OptionsParser.ParseVotes(["--setup-only"], TimeProvider.System));
        Assert.Contains("--voters-file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheWatchersCommandRefusesSetupOnly() =>
        Assert.Throws<UsageException>(() => Voting.LoadTest.Watchers.WatchOptions.Parse(["--setup-only", "--voters-file", "v.txt"], TimeProvider.System));
}
