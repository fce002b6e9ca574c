using Microsoft.AspNetCore.Http.HttpResults;
using Voting.Server.Infrastructure;

namespace Voting.Server.Metrics;

/// <summary>
/// Measures cast_vote around its handler: the time to the answer, and the error_code of a refusal
/// (parsing, rules, idempotency and a full writer alike). Kept out of the handler so the vote path's
/// code does not change; the per-voter rate limit answers before it and counts its own refusals.
/// One instance per endpoint (a filter factory), not one per request as AddEndpointFilter&lt;T&gt; would make.
/// </summary>
internal static class CastVoteMetricsFilter
{
    public static RouteHandlerBuilder Add(RouteHandlerBuilder builder, VotingMetrics metrics, TimeProvider time) =>
        builder.AddEndpointFilterFactory((_, next) => async invocation =>
        {
            var started = time.GetTimestamp();
            var result = await next(invocation);
            metrics.CastAnswered(time.GetElapsedTime(started), result is JsonHttpResult<ErrorEnvelope> error ? error.Value?.ErrorCode : null);
            return result;
        });
}
