namespace Voting.Server.Live;

/// <summary>
/// The writer loop both push channels share: take what the subscriber's queue holds and send it,
/// stamping the send so the hub's watchdog can cut the connection (which fails the send) when it
/// takes longer than the send timeout, whether or not the stream has ended for another reason; close the
/// subscriber as gone on the channel's own connection errors. A subscriber closed already keeps
/// its first reason.
/// </summary>
internal static class SubscriberPump
{
    public static async Task<StreamEnd> RunAsync(
        Subscriber subscriber, TimeProvider time, Func<List<Broadcast>, Task> sendBatch, Func<Exception, bool> isGone, Action<int> sent)
    {
        var batch = new List<Broadcast>();
        while (true)
        {
            batch.Clear();
            if (subscriber.TryTake(batch) is not { } end)
            {
                await subscriber.WaitAsync();
                continue;
            }
            if (end != StreamEnd.None) return end;
            subscriber.Sending(time.GetTimestamp());
            try
            {
                await sendBatch(batch);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or IOException || isGone(e))
            {
                // Gone, or aborted because it was dropped as too slow: the first reason stands.
                subscriber.Close(StreamEnd.ClientGone);
                return subscriber.End;
            }
            finally
            {
                subscriber.Sending(0);
            }
            sent(batch.Count);
        }
    }
}
