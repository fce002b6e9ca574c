using System.ComponentModel.DataAnnotations;
using Voting.Domain.Fraud;

namespace Voting.Server.Fraud;

/// <summary>The fraud rules' configuration (section <c>Fraud</c>), scores in [0, 1] with the design's defaults.</summary>
public sealed class FraudOptions
{
    /// <summary>Scores every app vote and text; false turns scoring, reviews and geo refusals off (for the on/off benchmark).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>CIDR lines (IPv4 and IPv6) of VPN, proxy and hosting networks; none: the proxy rule never fires.</summary>
    public string? ProxyRangesFile { get; set; }

    /// <summary><c>start,end,CC</c> lines as Tor's geoip/geoip6 files; none: the country rule and geo refusal are off.</summary>
    public string? GeoRangesFile { get; set; }

    /// <summary>Over this (strictly): 422 VOTE_BLOCKED.</summary>
    [Range(0.0, 1.0)]
    public decimal BlockScore { get; set; } = 0.80m;

    /// <summary>Over this (strictly): counted and queued for review.</summary>
    [Range(0.0, 1.0)]
    public decimal ReviewScore { get; set; } = 0.50m;

    /// <summary>Comma-separated ISO country codes whose addresses may vote.</summary>
    public string AllowedCountries { get; set; } = "KH";

    public FraudWeights Weights { get; set; } = new();

    /// <summary>How often a node reloads the operators' travel marks (other nodes' marks reach it within this).</summary>
    [Range(1, 3600)]
    public int TravelRefreshSeconds { get; set; } = 15;

    /// <summary>The pure rules' settings, in hundredths.</summary>
    public FraudSettings ToSettings() => new()
    {
        Velocity = Hundredths(Weights.Velocity),
        Device = Hundredths(Weights.Device),
        Proxy = Hundredths(Weights.Proxy),
        Country = Hundredths(Weights.Country),
        Timing = Hundredths(Weights.Timing),
        Gps = Hundredths(Weights.Gps),
        BlockScore = Hundredths(BlockScore),
        ReviewScore = Hundredths(ReviewScore),
        AllowedCountries = Countries(),
    };

    public HashSet<string> Countries() => AllowedCountries.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(c => c.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);

    private static int Hundredths(decimal value) => (int)Math.Round(value * 100m, MidpointRounding.AwayFromZero);
}

/// <summary>Each rule's weight (DESIGN.md "Fraud rules").</summary>
public sealed class FraudWeights
{
    [Range(0.0, 1.0)] public decimal Velocity { get; set; } = 0.30m;
    [Range(0.0, 1.0)] public decimal Device { get; set; } = 0.20m;
    [Range(0.0, 1.0)] public decimal Proxy { get; set; } = 0.40m;
    [Range(0.0, 1.0)] public decimal Country { get; set; } = 0.30m;
    [Range(0.0, 1.0)] public decimal Timing { get; set; } = 0.50m;
    [Range(0.0, 1.0)] public decimal Gps { get; set; } = 0.30m;
}
