namespace Voting.Server.Live;

/// <summary>One SSE response's writer loop.</summary>
internal static class SseStream
{
    public static Task<StreamEnd> RunAsync(HttpResponse response, Subscriber subscriber, TimeSpan sendTimeout, Action<int> sent) =>
        SubscriberPump.RunAsync(subscriber, sendTimeout, async (batch, ct) =>
        {
            foreach (var message in batch) await response.Body.WriteAsync(message.Sse, ct);
            await response.Body.FlushAsync(ct);
        }, static _ => false, sent);
}
