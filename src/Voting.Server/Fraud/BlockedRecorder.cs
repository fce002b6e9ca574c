using System.Threading.Channels;
using Voting.Storage.Fraud;

namespace Voting.Server.Fraud;

/// <summary>
/// Writes refused attempts in batches (a scripted attack makes many): each caller waits until
/// its attempt is stored. A failed write is logged; the vote is refused all the same.
/// </summary>
public sealed class BlockedRecorder(IFraudStore store, ILogger<BlockedRecorder> logger) : BackgroundService
{
    private const int MaxBatch = 500;
    private readonly Channel<(BlockedAttempt Attempt, TaskCompletionSource Done)> _queue =
        Channel.CreateBounded<(BlockedAttempt, TaskCompletionSource)>(new BoundedChannelOptions(50_000) { SingleReader = true });

    /// <summary>Completes when the attempt is stored (or could not be: then false).</summary>
    public async Task<bool> RecordAsync(BlockedAttempt attempt)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((attempt, done)))
        {
            FraudLog.BlockedNotRecorded(logger, 1, "the queue is full");
            return false;
        }
        try
        {
            await done.Task;
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var batch = new List<(BlockedAttempt Attempt, TaskCompletionSource Done)>(MaxBatch);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var item)) batch.Add(item);
                await WriteAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            while (reader.TryRead(out var item)) batch.Add(item);
            await WriteAsync(batch);
        }
    }

    private async Task WriteAsync(List<(BlockedAttempt Attempt, TaskCompletionSource Done)> batch)
    {
        if (batch.Count == 0) return;
        try
        {
            await store.RecordBlockedAsync(batch.Select(b => b.Attempt).ToList(), CancellationToken.None);
            foreach (var b in batch) b.Done.TrySetResult();
        }
        catch (Exception e)
        {
            FraudLog.BlockedNotRecorded(logger, batch.Count, e.Message);
            foreach (var b in batch) b.Done.TrySetException(e);
        }
    }
}
