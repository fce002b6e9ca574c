using System.ComponentModel.DataAnnotations;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Voting.Domain;
using Voting.Server.Infrastructure;
using Voting.Server.Metrics;
using Voting.Storage;

namespace Voting.Server.Voting;

public sealed class VoteWriterOptions
{
    /// <summary>Most votes committed in one transaction.</summary>
    [Range(1, 100_000)]
    public int MaxBatch { get; set; } = 2000;

    /// <summary>Votes that may wait for the writer; past it a vote is refused at once (503 with Retry-After).</summary>
    [Range(1, 10_000_000)]
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>
    /// Batches in flight at once. SQLite has one writer, so 1; on PostgreSQL a batch spends most
    /// of its time in round trips, and batches lock their voters in id order, so several can
    /// overlap safely. Null: 1 on SQLite, 4 on PostgreSQL.
    /// </summary>
    [Range(1, 64)]
    public int? MaxConcurrentBatches { get; set; }
}

/// <summary>
/// The one writer of votes in this process (group commit). Requests enqueue a command and
/// await its own outcome; the writer drains whatever is queued into one transaction, so
/// under load a commit carries many votes and when idle a vote commits at once.
/// </summary>
public sealed class VoteWriter(IVoteStore store, IOptions<VoteWriterOptions> options, IOptions<StorageOptions> storage, TimeProvider time,
    ILogger<VoteWriter> logger, VotingMetrics metrics) : BackgroundService
{
    private readonly int _concurrency = Math.Max(1, options.Value.MaxConcurrentBatches
        ?? (StorageProviders.Parse(storage.Value.Provider) == StorageProvider.Sqlite ? 1 : 4));

    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(options.Value.QueueCapacity)
    {
        SingleReader = true,
        // Only TryWrite is used: a full queue refuses at once instead of holding requests (and their memory).
        FullMode = BoundedChannelFullMode.Wait,
    });

    private sealed record Pending(VoteCommand Command, TaskCompletionSource<VoteOutcome> Outcome);

    /// <summary>Vote commands waiting for the writer (the metrics' gauge).</summary>
    public int QueueDepth => _queue.Reader.Count;

    /// <summary>Raised after each committed batch with the episodes whose tallies it changed (for the live results).</summary>
    public event Action<IReadOnlyCollection<EpisodeId>>? Committed;

    /// <summary>Tells the live results that tallies changed outside a vote batch (a void), as a batch would.</summary>
    public void TalliesChanged(IReadOnlyCollection<EpisodeId> episodes) => Committed?.Invoke(episodes);

    /// <summary>Queues a vote and completes when its batch has committed (or refused it).</summary>
    /// <exception cref="VoteWriterUnavailableException">The queue is full, or the store failed the vote: nothing was committed for it.</exception>
    public async Task<VoteOutcome> SubmitAsync(VoteCommand command)
    {
        var pending = new Pending(command, new TaskCompletionSource<VoteOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        // A full queue means the store is behind: waiting would only pile up requests (and memory)
        // that a client's retry after Retry-After serves better.
        if (!_queue.Writer.TryWrite(pending)) throw new VoteWriterUnavailableException(VoteWriterUnavailableException.QueueFull, null);
        // Once queued the vote will be committed whatever the caller does, so its outcome is
        // awaited without the request's token: an acknowledged vote is never left unknown.
        return await pending.Outcome.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        using var slots = new SemaphoreSlim(_concurrency, _concurrency);
        var inFlight = new List<Task>();
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                var batch = new List<Pending>(Math.Min(options.Value.MaxBatch, reader.Count + 1));
                while (batch.Count < options.Value.MaxBatch && reader.TryRead(out var p)) batch.Add(p);
                inFlight.RemoveAll(t => t.IsCompleted);
                inFlight.Add(CommitAndReleaseAsync(batch, slots));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the server has stopped taking votes; commit what is still queued.
            await Task.WhenAll(inFlight);
            var drained = 0;
            var batch = new List<Pending>();
            while (reader.TryRead(out var p))
            {
                batch.Add(p);
                if (batch.Count < options.Value.MaxBatch) continue;
                drained += batch.Count;
                await CommitAsync(batch);
                batch.Clear();
            }
            drained += batch.Count;
            await CommitAsync(batch);
            Log.WriterDrained(logger, drained);
        }
    }

    private async Task CommitAndReleaseAsync(List<Pending> batch, SemaphoreSlim slots)
    {
        try
        {
            await CommitAsync(batch);
        }
        finally
        {
            slots.Release();
        }
    }

    private long _statsVotes, _statsBatches, _statsSince = time.GetTimestamp();
    private TimeSpan _statsCommitTime;

    private async Task CommitAsync(List<Pending> batch)
    {
        if (batch.Count == 0) return;
        try
        {
            var started = time.GetTimestamp();
            var outcomes = await store.CommitVotesAsync(batch.Select(p => p.Command).ToList(), CancellationToken.None);
            for (var i = 0; i < batch.Count; i++) batch[i].Outcome.TrySetResult(outcomes[i]);
            if (Committed is { } committed && ChangedEpisodes(outcomes) is { Count: > 0 } changed) committed(changed);
            Measure(batch.Count, time.GetElapsedTime(started));
            metrics.BatchCommitted(batch, static p => p.Command, outcomes, time.GetElapsedTime(started));
        }
        catch (Exception e) when (batch.Count > 1)
        {
            // One bad command must refuse only itself: try each alone.
            Log.BatchFailed(logger, e, batch.Count);
            foreach (var p in batch) await CommitAsync([p]);
        }
        catch (Exception e)
        {
            Log.VoteFailed(logger, e);
            // The transaction did not commit (a lost connection, a restarting server): the caller
            // is told to try again, which its Idempotency-Key makes safe.
            batch[0].Outcome.TrySetException(new VoteWriterUnavailableException(VoteWriterUnavailableException.StoreFailed, e));
        }
    }

    private static HashSet<EpisodeId> ChangedEpisodes(IReadOnlyList<VoteOutcome> outcomes)
    {
        var episodes = new HashSet<EpisodeId>();
        foreach (var o in outcomes)
        {
            if (o is VoteAccepted { Replayed: false } a) episodes.Add(a.Episode);
            else if (o is SmsAnswered { CountedIn: > 0 } text) episodes.Add(new EpisodeId(text.CountedIn));
        }
        return episodes;
    }

    /// <summary>Every 10 s under load: how many votes, in how many batches, how long a commit took.</summary>
    private readonly Lock _statsLock = new();

    private void Measure(int votes, TimeSpan commitTime)
    {
        lock (_statsLock) MeasureLocked(votes, commitTime);
    }

    private void MeasureLocked(int votes, TimeSpan commitTime)
    {
        _statsVotes += votes;
        _statsBatches++;
        _statsCommitTime += commitTime;
        var elapsed = time.GetElapsedTime(_statsSince);
        if (elapsed < TimeSpan.FromSeconds(10)) return;
        Log.WriterStats(logger, _statsVotes, elapsed.TotalSeconds, _statsBatches, (double)_statsVotes / _statsBatches,
            _statsCommitTime.TotalMilliseconds / _statsBatches);
        _statsVotes = _statsBatches = 0;
        _statsCommitTime = TimeSpan.Zero;
        _statsSince = time.GetTimestamp();
    }
}
