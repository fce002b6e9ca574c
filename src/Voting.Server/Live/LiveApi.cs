using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Voting.Domain;
using Voting.Server.Infrastructure;
using Voting.Server.Metrics;

namespace Voting.Server.Live;

/// <summary>
/// The public push channels: a WebSocket (<c>GET /ws/voting?episode_id=N[&amp;contestant_id=M][&amp;last_seq=S]</c>)
/// and Server-Sent Events (<c>GET /api/v1/xfactor/voting/stream/{episode_id}</c>), the same messages on both.
/// </summary>
public static class LiveApi
{
    public static IEndpointRouteBuilder MapLiveApi(this IEndpointRouteBuilder app)
    {
        // Anonymous and never vote-limited: without the rate limiter, which would otherwise hold its
        // state for the whole life of every stream (tens of thousands of them per node).
        app.MapGet("/ws/voting", WebSocketAsync).AllowAnonymous().DisableRateLimiting().ExcludeFromDescription();
        app.MapGet("/api/v1/xfactor/voting/stream/{episodeId}", StreamAsync).AllowAnonymous().DisableRateLimiting().ExcludeFromDescription();
        return app;
    }

    private sealed record Channel(EpisodeFeed Feed, long? Contestant, long? LastSeq);

    /// <summary>Checks the request and finds the feed; writes the error answer and returns null when it cannot.</summary>
    private static async Task<Channel?> OpenAsync(HttpContext http, LiveHub hub, string? episodeText, StringValues lastEventId)
    {
        var q = http.Request.Query;
        if (Api.Id(episodeText ?? "") is not { } episode)
            return await FailAsync(http, StatusCodes.Status400BadRequest, "INVALID_REQUEST", "episode_id must be a positive integer");
        long? contestant = null;
        if (q.TryGetValue("contestant_id", out var c))
        {
            if (Api.Id(c.ToString()) is not { } id)
                return await FailAsync(http, StatusCodes.Status400BadRequest, "INVALID_REQUEST", "contestant_id must be a positive integer");
            contestant = id;
        }
        var seqText = q.TryGetValue("last_seq", out var s) ? s.ToString() : lastEventId.ToString();
        long? lastSeq = null;
        if (seqText.Length > 0)
        {
            if (!long.TryParse(seqText, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
                return await FailAsync(http, StatusCodes.Status400BadRequest, "INVALID_REQUEST", "last_seq must be a non-negative integer");
            lastSeq = seq;
        }
        if (hub.IsStopping) return await FailAsync(http, StatusCodes.Status503ServiceUnavailable, "UNAVAILABLE", "The service is shutting down; try again shortly");
        var feed = await hub.FeedAsync(new EpisodeId(episode), http.RequestAborted);
        if (feed is null) return await FailAsync(http, StatusCodes.Status404NotFound, "EPISODE_NOT_FOUND", "Episode not found");
        if (contestant is { } wanted && !feed.HasContestant(wanted))
            return await FailAsync(http, StatusCodes.Status404NotFound, "CONTESTANT_NOT_FOUND", "Contestant is not in this episode's line-up");
        return new Channel(feed, contestant, lastSeq);
    }

    private static async Task<Channel?> FailAsync(HttpContext http, int status, string code, string message)
    {
        await Api.WriteErrorAsync(http, status, code, message);
        return null;
    }

    private static async Task WebSocketAsync(HttpContext http, LiveHub hub, VotingMetrics metrics)
    {
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await Api.WriteErrorAsync(http, StatusCodes.Status400BadRequest, "INVALID_REQUEST", "A WebSocket upgrade is required");
            return;
        }
        if (await OpenAsync(http, hub, http.Request.Query["episode_id"], default) is not { } channel) return;
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var subscriber = new Subscriber(channel.Contestant, hub.Options.MaxQueuedMessages, sse: false) { Abort = socket.Abort };
        channel.Feed.Subscribe(subscriber, channel.LastSeq);
        metrics.WebSocket.Opened();
        try
        {
            if (hub.IsStopping) subscriber.Close(StreamEnd.Shutdown);
            await WebSocketStream.RunAsync(socket, subscriber, hub.Time, () => channel.Feed.Refresh(subscriber), metrics.WebSocket.Sent);
        }
        finally
        {
            subscriber.Detach();
            channel.Feed.Unsubscribe(subscriber);
            metrics.WebSocket.Closed();
        }
    }

    private static async Task StreamAsync(string episodeId, HttpContext http, LiveHub hub, VotingMetrics metrics)
    {
        if (await OpenAsync(http, hub, episodeId, http.Request.Headers["Last-Event-ID"]) is not { } channel) return;
        var response = http.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var subscriber = new Subscriber(channel.Contestant, hub.Options.MaxQueuedMessages, sse: true) { Abort = http.Abort };
        channel.Feed.Subscribe(subscriber, channel.LastSeq);
        metrics.Sse.Opened();
        try
        {
            if (hub.IsStopping) subscriber.Close(StreamEnd.Shutdown);
            using var gone = http.RequestAborted.Register(() => subscriber.Close(StreamEnd.ClientGone));
            await SseStream.RunAsync(response, subscriber, hub.Time, metrics.Sse.Sent);
        }
        finally
        {
            subscriber.Detach();
            channel.Feed.Unsubscribe(subscriber);
            metrics.Sse.Closed();
        }
    }
}
