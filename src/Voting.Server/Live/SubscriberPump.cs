namespace Voting.Server.Live;

/// <summary>
/// The writer loop both push channels share: take what the subscriber's queue holds, send it
/// within the send timeout, and close the subscriber as too slow (timeout) or gone (the
/// channel's own connection errors); a subscriber closed already keeps its first reason.
/// </summary>
internal static class SubscriberPump
{
    public static async Task<StreamEnd> RunAsync(
        Subscriber subscriber, TimeSpan sendTimeout, Func<List<Broadcast>, CancellationToken, Task> sendBatch, Func<Exception, bool> isGone,
        Action<int> sent)
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
                await sendBatch(batch, timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                subscriber.Close(StreamEnd.TooSlow);
                return StreamEnd.TooSlow;
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException || isGone(e))
            {
                // Gone, or aborted because it was dropped as too slow: the first reason stands.
                subscriber.Close(StreamEnd.ClientGone);
                return subscriber.End;
            }
            sent(batch.Count);
            if (!timeout.TryReset())
            {
                subscriber.Close(StreamEnd.TooSlow);
                return StreamEnd.TooSlow;
            }
        }
    }
}
