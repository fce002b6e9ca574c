namespace Voting.Domain.Fraud;

/// <summary>A point on Earth in degrees.</summary>
public readonly record struct GeoPoint(double Latitude, double Longitude)
{
    /// <summary><c>X-Location: lat,lng</c>; null when it is not two numbers in range.</summary>
    public static GeoPoint? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) return null;
        var parts = header.Split(',');
        if (parts.Length != 2) return null;
        if (!double.TryParse(parts[0].Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var lat)
            || !double.TryParse(parts[1].Trim(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var lng))
            return null;
        return lat is >= -90 and <= 90 && lng is >= -180 and <= 180 && double.IsFinite(lat) && double.IsFinite(lng) ? new GeoPoint(lat, lng) : null;
    }

    /// <summary>Great-circle distance in kilometres (haversine).</summary>
    public double KilometresTo(GeoPoint other)
    {
        const double R = 6371.0;
        static double Rad(double d) => d * Math.PI / 180;
        var dLat = Rad(other.Latitude - Latitude);
        var dLng = Rad(other.Longitude - Longitude);
        var a = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) + (Math.Cos(Rad(Latitude)) * Math.Cos(Rad(other.Latitude)) * Math.Sin(dLng / 2) * Math.Sin(dLng / 2));
        return 2 * R * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>Cambodia's bounding box (about 10.0-14.7 N, 102.3-107.7 E), generous at the borders.</summary>
    public bool IsInCambodia => Latitude is >= 9.9 and <= 14.8 && Longitude is >= 102.2 and <= 107.8;
}

/// <summary>What one app vote is scored on: plain values the caller gathers without scanning the ledger.</summary>
/// <param name="RecentVotes">The voter's accepted vote_count in the 60 s before this vote.</param>
/// <param name="VoteCount">This vote's vote_count.</param>
/// <param name="VotersOnDevice">Distinct voters seen on this device id this episode, this voter included (0 without a device id).</param>
/// <param name="IsProxy">The client address is in a proxy, VPN or hosting range.</param>
/// <param name="Country">The client address's country, or null when no range holds it.</param>
/// <param name="Travelling">An operator marked the voter as travelling.</param>
/// <param name="AttemptTimesMs">The voter's last vote attempts (this one included, blocked ones too), oldest first, in ms.</param>
/// <param name="Location">The phone's GPS (X-Location), if sent.</param>
/// <param name="AddressLocation">Where the client address is known to be, if known.</param>
public sealed record FraudInputs(long RecentVotes, long VoteCount, int VotersOnDevice, bool IsProxy, string? Country, bool Travelling,
    IReadOnlyList<long> AttemptTimesMs, GeoPoint? Location = null, GeoPoint? AddressLocation = null);

/// <summary>The weights and thresholds, in hundredths (so sums compare exactly), with the design's defaults.</summary>
public sealed record FraudSettings
{
    public int Velocity { get; init; } = 30;
    public int Device { get; init; } = 20;
    public int Proxy { get; init; } = 40;
    public int Country { get; init; } = 30;
    public int Timing { get; init; } = 50;
    public int Gps { get; init; } = 30;

    /// <summary>Over this (strictly), the vote is blocked.</summary>
    public int BlockScore { get; init; } = 80;

    /// <summary>Over this (strictly), the vote is counted and reviewed.</summary>
    public int ReviewScore { get; init; } = 50;

    public int VelocityVotesPerMinute { get; init; } = 50;
    public int VotersPerDevice { get; init; } = 3;
    public int TimingAttempts { get; init; } = 10;
    public double TimingStdDevSeconds { get; init; } = 1.0;
    public double GpsKilometres { get; init; } = 100;
    public IReadOnlySet<string> AllowedCountries { get; init; } = new HashSet<string>(StringComparer.Ordinal) { "KH" };
}

public enum FraudOutcome { Pass, Review, Block }

/// <summary>A vote's score in hundredths (capped at 100), the rules that added to it, and what follows.</summary>
public sealed record FraudScore(int Hundredths, IReadOnlyList<string> Reasons, FraudOutcome Outcome, bool GeoBlocked)
{
    public decimal Value => Hundredths / 100m;
}

/// <summary>The fraud rules (DESIGN.md "Fraud rules"): each signal adds its weight, the sum capped at 1. Pure: no I/O, no clock.</summary>
public static class FraudScoring
{
    public const string Velocity = "velocity", Device = "device", Proxy = "proxy", Country = "country", Timing = "timing", Gps = "gps";

    public static FraudScore Score(FraudInputs x, FraudSettings s)
    {
        var reasons = new List<string>(6);
        var sum = 0;
        void Add(bool hit, string reason, int weight)
        {
            if (!hit) return;
            reasons.Add(reason);
            sum += weight;
        }
        var foreign = x.Country is { } cc && !s.AllowedCountries.Contains(cc);
        Add(x.RecentVotes + x.VoteCount > s.VelocityVotesPerMinute, Velocity, s.Velocity);
        Add(x.VotersOnDevice > s.VotersPerDevice, Device, s.Device);
        Add(x.IsProxy, Proxy, s.Proxy);
        Add(foreign && !x.Travelling, Country, s.Country);
        Add(IsMachineTimed(x.AttemptTimesMs, s), Timing, s.Timing);
        Add(x.Location is { } gps && (!gps.IsInCambodia || (x.AddressLocation is { } ip && gps.KilometresTo(ip) > s.GpsKilometres)), Gps, s.Gps);
        var score = Math.Min(100, sum);
        var outcome = score > s.BlockScore ? FraudOutcome.Block : score > s.ReviewScore ? FraudOutcome.Review : FraudOutcome.Pass;
        return new FraudScore(score, reasons, outcome, foreign && !x.Travelling);
    }

    /// <summary>The intervals between the last <c>TimingAttempts</c> attempts are too regular for a person (standard deviation under the limit).</summary>
    public static bool IsMachineTimed(IReadOnlyList<long> attemptsMs, FraudSettings s)
    {
        if (attemptsMs.Count < s.TimingAttempts) return false;
        var from = attemptsMs.Count - s.TimingAttempts;
        var intervals = new double[s.TimingAttempts - 1];
        for (var i = 0; i < intervals.Length; i++) intervals[i] = (attemptsMs[from + i + 1] - attemptsMs[from + i]) / 1000.0;
        var mean = intervals.Average();
        var variance = intervals.Sum(v => (v - mean) * (v - mean)) / intervals.Length;
        return Math.Sqrt(variance) < s.TimingStdDevSeconds;
    }
}
