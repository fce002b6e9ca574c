using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Voting.Server.Auth;

/// <summary>
/// Limits on sign-in codes beyond the per-phone one (SMS pumping: codes sent to many numbers to
/// earn from the texts): per client address and per block of 10,000 numbers (the number without its
/// last four digits), each over a sliding hour. In memory, per node: with N nodes behind a balancer the
/// effective limit is up to N times the configured one (README).
/// </summary>
public sealed class SignInLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perIp;
    private readonly PartitionedRateLimiter<string> _perPrefix;

    public SignInLimits(IOptions<AuthOptions> options)
    {
        var o = options.Value;
        _perIp = Hourly(o.CodesPerIpPerHour);
        _perPrefix = Hourly(o.CodesPerPrefixPerHour);
    }

    private static PartitionedRateLimiter<string> Hourly(int permits) => PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetSlidingWindowLimiter(key, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = TimeSpan.FromHours(1),
            SegmentsPerWindow = 12,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Null when a code may be sent; else which limit refused it and the seconds to wait.</summary>
    public (string Message, int RetryAfterSeconds)? TryAcquire(string? clientAddress, string phone)
    {
        using var ip = _perIp.AttemptAcquire("ip:" + (clientAddress ?? "unknown"));
        if (!ip.IsAcquired) return ("Too many sign-in codes from this network; try again later", RetryAfter(ip));
        using var block = _perPrefix.AttemptAcquire("block:" + PrefixBlock(phone));
        if (!block.IsAcquired) return ("Too many sign-in codes for numbers like this one; try again later", RetryAfter(block));
        return null;
    }

    /// <summary>The block of 10,000 numbers a national-form number belongs to: all but its last four digits.</summary>
    public static string PrefixBlock(string phone) => phone.Length > 4 ? phone[..^4] : phone;

    private static int RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 300;

    public static string Seconds(int seconds) => seconds.ToString(CultureInfo.InvariantCulture);

    public void Dispose()
    {
        _perIp.Dispose();
        _perPrefix.Dispose();
    }
}
