using Voting.LoadTest.ShowNight;

namespace Voting.LoadTest.Tests;

public sealed class ShowNightOptionsTests
{
    private static ShowNightOptions Parse(params string[] args) => OptionsParser.ParseShowNight(args, TimeProvider.System);

    [Fact]
    public void TheDefaultsAreSeventyPercentFreeThirtyPaidAndATenthBySms()
    {
        var o = Parse("--signal-secret", "s", "--sms-secret", "t");
        Assert.Equal(0.3, o.PaidShare);
        Assert.Equal(0.1, o.SmsShare);
        Assert.Equal(100, o.SmsViewers);
        Assert.Equal(900, o.AppViewers);
        Assert.Null(o.ReportDirectory);
    }

    [Fact]
    public void EveryOptionIsRead()
    {
        var o = Parse("--url", "http://127.0.0.1:5123", "--viewers", "50", "--window", "20", "--watchers", "20", "--sms-share", "0.2",
            "--paid-share", "0.5", "--bundle-share", "1", "--contestants", "3", "--requests-per-viewer", "2", "--performance-ms", "0",
            "--close-margin", "9", "--admin-key", "k", "--signal-secret", "s", "--sms-secret", "t", "-c", "8", "--setup-parallelism", "4",
            "--timeout", "7", "--verify-sample", "10", "--results-timeout", "11", "--report", "out", "--seed", "42");
        Assert.Equal(new Uri("http://127.0.0.1:5123/"), o.BaseUrl);
        Assert.Equal((50, 20, 20, 0.2, 0.5, 1.0, 3, 2, 0, 9), (o.Viewers, o.WindowSeconds, o.Watchers, o.SmsShare, o.PaidShare, o.BundleShare,
            o.Contestants, o.MaxRequestsPerViewer, o.PerformanceMilliseconds, o.CloseMarginSeconds));
        Assert.Equal(("k", "s", "t", 8, 4, 7, 10, 11, "out", 42), (o.AdminKey, o.SignalSecret, o.SmsSecret, o.Connections, o.SetupParallelism,
            o.TimeoutSeconds, o.VerifySample, o.ResultsTimeoutSeconds, o.ReportDirectory, o.Seed));
        Assert.Equal((10, 40), (o.SmsViewers, o.AppViewers));
    }

    [Theory]
    [InlineData("--signal-secret")]
    [InlineData("--sms-secret")]
    public void TheSecretsAreRequired(string missing)
    {
        var args = new List<string> { "--signal-secret", "s", "--sms-secret", "t" };
        var at = args.IndexOf(missing);
        args.RemoveRange(at, 2);
        var e = Assert.Throws<UsageException>(() => OptionsParser.ParseShowNight(args, TimeProvider.System));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutSmsViewersTheCarrierSecretIsNotNeeded() =>
        Assert.Equal(0, Parse("--signal-secret", "s", "--sms-share", "0").SmsViewers);

    [Theory]
    [InlineData("--sms-share", "1.5")]
    [InlineData("--paid-share", "-0.1")]
    [InlineData("--bundle-share", "half")]
    [InlineData("--window", "4")]
    [InlineData("--requests-per-viewer", "6")]
    [InlineData("--url", "http://example.com")]
    [InlineData("--viewers", "0")]
    [InlineData("--nonsense", "1")]
    public void OutOfRangeValuesAreRefused(string name, string value) =>
        Assert.Throws<UsageException>(() => Parse("--signal-secret", "s", "--sms-secret", "t", name, value));

    [Fact]
    public void AllViewersTextingLeavesNoOneToSignInAndIsRefused() =>
        Assert.Throws<UsageException>(() => Parse("--signal-secret", "s", "--sms-secret", "t", "--sms-share", "1"));

    [Fact]
    public void SignalsAreSignedAsTheControlRoomSignsThem() =>
        // printf '%s.%s' 1700000000 '{"event":"SHOW_START"}' | openssl dgst -sha256 -hmac demo-secret
        Assert.Equal("t=1700000000,v1=62e33fb8c8788ae69399d95e70b25d17a44d792d4be74f4376cdfb686a2728fb",
            ShowApi.Sign("demo-secret", 1700000000, "{\"event\":\"SHOW_START\"}"));
}
