using System.Globalization;
using System.Threading.RateLimiting;
using Voting.Domain.Voting;
using Voting.Server.Infrastructure;

namespace Voting.Server.Voting;

public sealed class VotingOptions
{
    /// <summary>cast_vote requests per voter per minute.</summary>
    public int VoteRequestsPerMinute { get; set; } = VoteRules.VoteRequestsPerMinute;
}

/// <summary>The per-voter request limit on cast_vote, checked before the body is read.</summary>
public static class VotingLimits
{
    public const string CastVotePolicy = "cast_vote";

    public static IServiceCollection AddVotingRateLimits(this IServiceCollection services, VotingOptions options)
    {
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(CastVotePolicy, http => RateLimitPartition.GetFixedWindowLimiter(
                http.User.FindFirst("sub")?.Value ?? "anonymous",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.VoteRequestsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            o.OnRejected = (ctx, ct) =>
            {
                var retry = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 60;
                ctx.HttpContext.Response.Headers.RetryAfter = retry.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(Api.WriteErrorAsync(ctx.HttpContext, StatusCodes.Status429TooManyRequests, "RATE_LIMITED",
                    $"Too many vote requests; try again in {retry} seconds"));
            };
        });
        return services;
    }
}
