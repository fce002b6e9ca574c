using Voting.Storage.Ledger;

namespace Voting.Storage.Sql;

/// <summary>
/// The group commit of votes: one transaction per batch. Texts are taken in first (claimed, their
/// senders made voters, each resolved to a vote or an answer); the voters are locked and their
/// allowances read; the rules decide each vote in order; the ledger rows are inserted and every
/// projection moved by its summed deltas, each guarded so a limit can never break even if this code
/// were wrong. The window is judged at this transaction's time, so a vote whose batch commits after
/// the close is refused.
/// </summary>
public abstract partial class SqlVotingStore
{
    private protected abstract Task<IVoteBatchIo> BeginVoteBatchAsync(CancellationToken ct);

    private readonly TallyLanes _tallyLanes = new(options.TallyLanes);

    /// <summary>The stamp of ledger rows written outside a vote batch (voids, wallet entries): lane 0's shard.</summary>
    private protected LedgerStamp OutOfBatchStamp(long nowMs) => new(TallyLanes.Shard(Options.TallyShard, 0), nowMs);

    public async Task<IReadOnlyList<VoteOutcome>> CommitVotesAsync(IReadOnlyList<VoteCommand> commands, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await CommitBatchAsync(commands, ct);
            }
            catch (Exception e) when (attempt < 5 && (IsTransient(e) || e is WindowClosedDuringBatchException))
            {
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            }
        }
    }

    private async Task<IReadOnlyList<VoteOutcome>> CommitBatchAsync(IReadOnlyList<VoteCommand> commands, CancellationToken ct)
    {
        await using var io = await BeginVoteBatchAsync(ct);
        // Taken once the transaction has begun, so SQLite's one writer always has lane 0; given
        // back (disposed first) before the transaction is disposed, i.e. before SQLite's writer
        // gate opens for the next batch. On a rollback the next holder may briefly wait on rows
        // the rollback is releasing: a wait, never a wrong count.
        using var lane = _tallyLanes.Take();
        var now = Time.GetUtcNow();
        var texts = SmsIntakeStep.AnyTexts(commands) ? new SmsIntakeStep(commands, now) : null;
        var (judged, isVote) = texts is null ? (commands, null) : texts.Resolve(await io.ClaimSmsAsync(texts.Claim(), ct));
        var batch = new VoteBatch(judged, isVote, now, Options, TallyLanes.Shard(Options.TallyShard, lane.Number));
        var rows = batch.Decide(await io.LoadContextAsync(batch.Request(), ct));
        if (rows.Count > 0)
        {
            var lost = batch.LostRaces(await io.InsertVotesAsync(rows, ct));
            if (lost.Count > 0) batch.ResolveLostRaces(await io.FindVotesAsync(lost, ct));
        }
        batch.Totals(await io.ApplyAsync(batch.Writes(), batch.TotalsWanted(), ct));
        var outcomes = batch.Outcomes();
        var sms = new SmsWrites { CreatedAt = now.ToUnixTimeMilliseconds() };
        texts?.Record(batch, outcomes, sms);
        sms.Outbox.AddRange(SmsIntakeStep.Charges(batch, Options.SmsCurrency));
        if (sms.Messages.Count > 0 || sms.Outbox.Count > 0) await io.WriteSmsAsync(sms, ct);
        // Judged open at the start, but the window may have run out while the batch ran:
        // roll back and judge again, so no vote commits after the close.
        if (batch.WindowClosedBy(Time.GetUtcNow())) throw new WindowClosedDuringBatchException();
        await io.CommitAsync(ct);
        return texts is null ? outcomes : texts.Answers(outcomes);
    }
}

/// <summary>A window closed while its batch ran; the batch is rolled back and judged again.</summary>
internal sealed class WindowClosedDuringBatchException() : Exception("voting window closed while the batch ran");
