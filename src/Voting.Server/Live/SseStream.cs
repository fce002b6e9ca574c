namespace Voting.Server.Live;

/// <summary>One SSE response's writer loop.</summary>
internal static class SseStream
{
    public static Task<StreamEnd> RunAsync(HttpResponse response, Subscriber subscriber, TimeProvider time, Action<int> sent) =>
        SubscriberPump.RunAsync(subscriber, time, async batch =>
        {
            foreach (var message in batch) await response.Body.WriteAsync(message.Sse);
            await response.Body.FlushAsync();
        }, static _ => false, sent);
}
