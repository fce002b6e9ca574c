using Microsoft.AspNetCore.Http.HttpResults;
using Voting.Server.Infrastructure;

namespace Voting.Server.Metrics;

/// <summary>
/// Measures cast_vote around its handler: the time to the answer, and the error_code of a refusal
/// (parsing, rules, idempotency and a full writer alike). Kept out of the handler so the vote path's
/// code does not change; the per-voter rate limit answers before it and counts its own refusals.
/// </summary>
public sealed class CastVoteMetricsFilter(VotingMetrics metrics, TimeProvider time) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var started = time.GetTimestamp();
        var result = await next(context);
        metrics.CastAnswered(time.GetElapsedTime(started), result is JsonHttpResult<ErrorEnvelope> error ? error.Value?.ErrorCode : null);
        return result;
    }
}
