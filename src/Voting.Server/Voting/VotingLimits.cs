using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Voting.Domain.Voting;
using Voting.Server.Infrastructure;
using Voting.Server.Metrics;

namespace Voting.Server.Voting;

public sealed class VotingOptions
{
    /// <summary>cast_vote requests per voter per minute.</summary>
    [Range(1, int.MaxValue)]
    public int VoteRequestsPerMinute { get; set; } = VoteRules.VoteRequestsPerMinute;
}

/// <summary>Marks an endpoint whose requests count against the per-voter vote limit.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class VoteRateLimitedAttribute : Attribute;

/// <summary>The per-voter request limit on cast_vote, checked before the body is read.</summary>
public static class VotingLimits
{
    public static IServiceCollection AddVotingRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<VotingOptions>, TimeProvider>((o, voting, time) =>
            o.GlobalLimiter = new PerVoterLimiter(voting.Value.VoteRequestsPerMinute, TimeSpan.FromMinutes(1), time));
        services.AddRateLimiter(o =>
        {
            o.OnRejected = (ctx, ct) =>
            {
                var retry = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 60;
                ctx.HttpContext.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
                ctx.HttpContext.RequestServices.GetRequiredService<VotingMetrics>().Refused("RATE_LIMITED");
                return new ValueTask(Api.WriteErrorAsync(ctx.HttpContext, StatusCodes.Status429TooManyRequests, "RATE_LIMITED",
                    $"Too many vote requests; try again in {retry} seconds"));
            };
        });
        return services;
    }

    public static RouteHandlerBuilder RequirePerVoterVoteLimit(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new VoteRateLimitedAttribute());
}

/// <summary>
/// A fixed window of N requests per voter, for endpoints marked <see cref="VoteRateLimitedAttribute"/>.
/// The framework's partitioned limiter takes one lock for every request and walks every
/// partition ten times a second; with tens of thousands of voters that lock was the busiest
/// thing in the server. Here each voter's window is its own small lock, and stale windows are
/// swept once a window length.
/// </summary>
public sealed class PerVoterLimiter(int permits, TimeSpan window, TimeProvider time) : PartitionedRateLimiter<HttpContext>
{
    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private readonly long _windowTicks = TimestampTicks(window, time);
    private long _nextSweep = time.GetTimestamp() + TimestampTicks(window, time);

    private sealed class Window
    {
        public long StartedAt;
        public int Used;
    }

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    protected override RateLimitLease AttemptAcquireCore(HttpContext resource, int permitCount)
    {
        if (resource.GetEndpoint()?.Metadata.GetMetadata<VoteRateLimitedAttribute>() is null) return Lease.Granted;
        var voter = resource.User.FindFirst("sub")?.Value;
        if (voter is null) return Lease.Granted; // unauthenticated requests are refused with 401 anyway
        var now = time.GetTimestamp();
        Sweep(now);
        var w = _windows.GetOrAdd(voter, _ => new Window { StartedAt = now });
        lock (w)
        {
            if (now - w.StartedAt >= _windowTicks)
            {
                w.StartedAt = now;
                w.Used = 0;
            }
            if (w.Used + permitCount <= permits)
            {
                w.Used += permitCount;
                return Lease.Granted;
            }
            return new Lease(false, window - time.GetElapsedTime(w.StartedAt, now));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext resource, int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(resource, permitCount));

    private static long TimestampTicks(TimeSpan span, TimeProvider time) => (long)(span.TotalSeconds * time.TimestampFrequency);

    private void Sweep(long now)
    {
        var due = Interlocked.Read(ref _nextSweep);
        if (now < due || Interlocked.CompareExchange(ref _nextSweep, now + _windowTicks, due) != due) return;
        foreach (var (key, w) in _windows)
        {
            if (now - Volatile.Read(ref w.StartedAt) >= _windowTicks) _windows.TryRemove(key, out _);
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter = null) : RateLimitLease
    {
        public static readonly Lease Granted = new(true);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter;
            return retryAfter is not null && metadataName == MetadataName.RetryAfter.Name;
        }
    }
}
