using Voting.Domain.Fraud;

namespace Voting.Domain.Tests.Fraud;

public class FraudScoringTests
{
    private static readonly FraudSettings Defaults = new();

    private static FraudInputs Quiet => new(RecentVotes: 0, VoteCount: 1, VotersOnDevice: 1, IsProxy: false, Country: "KH", Travelling: false,
        AttemptTimesMs: [0]);

    /// <summary>Attempts <paramref name="gapMs"/> apart, every other one <paramref name="jitterMs"/> late (intervals then deviate by that much).</summary>
    private static long[] Attempts(int count, long gapMs, long jitterMs = 0) =>
        [.. Enumerable.Range(0, count).Select(i => (i * gapMs) + (i % 2 == 1 ? jitterMs : 0))];

    [Fact]
    public void A_normal_voter_scores_nothing() =>
        Assert.Equal(new FraudScore(0, [], FraudOutcome.Pass, false), FraudScoring.Score(Quiet, Defaults) with { Reasons = [] });

    [Theory]
    [InlineData(49, 1, false)]
    [InlineData(50, 1, true)]
    [InlineData(45, 5, false)]
    [InlineData(45, 6, true)]
    public void Velocity_counts_the_minute_before_and_this_vote_and_must_be_over_50(long recent, long count, bool hit) =>
        Assert.Equal(hit, FraudScoring.Score(Quiet with { RecentVotes = recent, VoteCount = count }, Defaults).Reasons.Contains(FraudScoring.Velocity));

    [Theory]
    [InlineData(3, false)]
    [InlineData(4, true)]
    public void A_device_shared_by_more_than_three_voters_adds_its_weight(int voters, bool hit) =>
        Assert.Equal(hit ? 20 : 0, FraudScoring.Score(Quiet with { VotersOnDevice = voters }, Defaults).Hundredths);

    [Fact]
    public void A_proxy_adds_040_and_a_foreign_country_030_unless_travelling()
    {
        Assert.Equal(40, FraudScoring.Score(Quiet with { IsProxy = true }, Defaults).Hundredths);
        var abroad = FraudScoring.Score(Quiet with { Country = "TH" }, Defaults);
        Assert.Equal((30, true), (abroad.Hundredths, abroad.GeoBlocked));
        var travelling = FraudScoring.Score(Quiet with { Country = "TH", Travelling = true }, Defaults);
        Assert.Equal((0, false), (travelling.Hundredths, travelling.GeoBlocked));
        // An address in no range has no country: neither the rule nor the refusal applies.
        Assert.Equal((0, false), (FraudScoring.Score(Quiet with { Country = null }, Defaults) is var unknown ? (unknown.Hundredths, unknown.GeoBlocked) : default));
    }

    [Fact]
    public void Ten_attempts_at_a_steady_cadence_look_scripted_and_a_persons_do_not()
    {
        Assert.True(FraudScoring.IsMachineTimed(Attempts(10, 2000), Defaults));
        Assert.True(FraudScoring.IsMachineTimed(Attempts(10, 2000, jitterMs: 900), Defaults));
        Assert.False(FraudScoring.IsMachineTimed(Attempts(10, 2000, jitterMs: 1100), Defaults));
        Assert.False(FraudScoring.IsMachineTimed(Attempts(9, 2000), Defaults));
        // Only the last ten count: a scripted tail after human attempts is caught.
        Assert.True(FraudScoring.IsMachineTimed([.. new long[] { 0, 7_000, 30_000 }, .. Attempts(10, 1000).Select(t => t + 60_000)], Defaults));
    }

    [Fact]
    public void Gps_outside_cambodia_or_far_from_the_address_adds_its_weight()
    {
        var phnomPenh = new GeoPoint(11.5564, 104.9282);
        var siemReap = new GeoPoint(13.3633, 103.8564);
        var bangkok = new GeoPoint(13.7563, 100.5018);
        Assert.Equal(0, FraudScoring.Score(Quiet with { Location = phnomPenh }, Defaults).Hundredths);
        Assert.Equal(30, FraudScoring.Score(Quiet with { Location = bangkok }, Defaults).Hundredths);
        Assert.Equal(30, FraudScoring.Score(Quiet with { Location = phnomPenh, AddressLocation = siemReap }, Defaults).Hundredths);
        Assert.Equal(0, FraudScoring.Score(Quiet with { Location = phnomPenh, AddressLocation = new GeoPoint(11.6, 104.9) }, Defaults).Hundredths);
        Assert.InRange(phnomPenh.KilometresTo(siemReap), 230, 245);
    }

    [Theory]
    [InlineData(49, FraudOutcome.Pass)]
    [InlineData(50, FraudOutcome.Pass)]
    [InlineData(51, FraudOutcome.Review)]
    [InlineData(79, FraudOutcome.Review)]
    [InlineData(80, FraudOutcome.Review)]
    [InlineData(81, FraudOutcome.Block)]
    public void Over_is_strict_at_both_thresholds(int proxyWeight, FraudOutcome outcome) =>
        Assert.Equal(outcome, FraudScoring.Score(Quiet with { IsProxy = true }, Defaults with { Proxy = proxyWeight }).Outcome);

    [Fact]
    public void The_design_weights_meet_the_thresholds_exactly_and_sums_are_capped_at_one()
    {
        // timing alone is 0.50 (not over), proxy + country 0.70 (review), proxy + timing 0.90 (block), timing + country = 0.80 (review, not over).
        var scripted = Quiet with { AttemptTimesMs = Attempts(10, 1500) };
        Assert.Equal(FraudOutcome.Pass, FraudScoring.Score(scripted, Defaults).Outcome);
        Assert.Equal(FraudOutcome.Review, FraudScoring.Score(Quiet with { IsProxy = true, Country = "US" }, Defaults).Outcome);
        Assert.Equal(FraudOutcome.Block, FraudScoring.Score(scripted with { IsProxy = true }, Defaults).Outcome);
        var edge = FraudScoring.Score(scripted with { Country = "US" }, Defaults);
        Assert.Equal((80, FraudOutcome.Review), (edge.Hundredths, edge.Outcome));
        var everything = FraudScoring.Score(new FraudInputs(100, 1, 9, true, "US", false, Attempts(10, 500), new GeoPoint(48.85, 2.35)), Defaults);
        Assert.Equal(100, everything.Hundredths);
        Assert.Equal([FraudScoring.Velocity, FraudScoring.Device, FraudScoring.Proxy, FraudScoring.Country, FraudScoring.Timing, FraudScoring.Gps], everything.Reasons);
    }

    [Theory]
    [InlineData("11.5564,104.9282", true)]
    [InlineData(" 11.5 , 104.9 ", true)]
    [InlineData("91,104", false)]
    [InlineData("11.5", false)]
    [InlineData("north,east", false)]
    [InlineData("NaN,1", false)]
    [InlineData("", false)]
    public void X_location_is_two_numbers_in_range(string header, bool valid) => Assert.Equal(valid, GeoPoint.Parse(header) is not null);
}
