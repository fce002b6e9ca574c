namespace Voting.Server.Live;

/// <summary>One SSE response's writer loop.</summary>
internal static class SseStream
{
    public static async Task<StreamEnd> RunAsync(HttpResponse response, Subscriber subscriber, TimeSpan sendTimeout)
    {
        var batch = new List<Broadcast>();
        using var timeout = new CancellationTokenSource();
        while (true)
        {
            batch.Clear();
            var end = await subscriber.TakeAsync(batch, CancellationToken.None);
            if (end != StreamEnd.None) return end;
            timeout.CancelAfter(sendTimeout);
            try
            {
                foreach (var message in batch) await response.Body.WriteAsync(message.Sse, timeout.Token);
                await response.Body.FlushAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                subscriber.Close(StreamEnd.TooSlow);
                return StreamEnd.TooSlow;
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                subscriber.Close(StreamEnd.ClientGone);
                return subscriber.End;
            }
            if (!timeout.TryReset())
            {
                subscriber.Close(StreamEnd.TooSlow);
                return StreamEnd.TooSlow;
            }
        }
    }
}
