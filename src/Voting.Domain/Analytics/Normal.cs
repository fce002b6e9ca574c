namespace Voting.Domain.Analytics;

/// <summary>The standard normal distribution.</summary>
public static class Normal
{
    /// <summary>P(Z ≤ <paramref name="x"/>), within 1.5e-7 (Abramowitz and Stegun 7.1.26 for erf).</summary>
    public static double Cdf(double x)
    {
        if (double.IsPositiveInfinity(x)) return 1;
        if (double.IsNegativeInfinity(x)) return 0;
        var z = Math.Abs(x) / Math.Sqrt(2);
        var t = 1 / (1 + 0.3275911 * z);
        var erf = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-z * z);
        return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}
