using Voting.Domain.Voting;

namespace Voting.Storage.Sql;

/// <summary>
/// The group commit of votes. A batch is one transaction in four steps, each one round trip:
/// read the context (windows, line-ups, voters, idempotency keys), take the limits by
/// conditional updates, insert the ledger rows, then update the projections and read back
/// the counters. The window is judged at this transaction's time, so a vote whose batch
/// commits after the close is refused.
/// </summary>
public abstract partial class SqlVotingStore
{
    protected abstract Task<BatchSession> BeginBatchAsync(CancellationToken ct);

    public async Task<IReadOnlyList<VoteOutcome>> CommitVotesAsync(IReadOnlyList<VoteCommand> commands, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await CommitBatchAsync(commands, ct);
            }
            catch (Exception e) when (attempt < 5 && IsTransient(e))
            {
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), ct);
            }
        }
    }

    private async Task<IReadOnlyList<VoteOutcome>> CommitBatchAsync(IReadOnlyList<VoteCommand> commands, CancellationToken ct)
    {
        await using var session = await BeginBatchAsync(ct);
        var now = Time.GetUtcNow();
        var batch = new VoteBatch(commands, now, Options, ForShare, ForUpdate);

        batch.ReadContext(await session.RunAsync(batch.ContextStatements(), ct));
        var existence = batch.ContestantExistenceStatements();
        if (existence.Count > 0) batch.ReadContestantExistence(await session.RunAsync(existence, ct));
        batch.Judge();

        batch.ReadDebits(await session.RunAsync(batch.DebitStatements(), ct));
        batch.ReadInserts(await session.RunAsync(batch.InsertStatements(), ct));
        var conflicts = batch.ConflictStatements();
        if (conflicts.Count > 0) batch.ReadConflicts(await session.RunAsync(conflicts, ct));

        batch.ReadProjections(await session.RunAsync(batch.ProjectionStatements(), ct));
        await session.CommitAsync(ct);
        return batch.Outcomes();
    }
}

/// <summary>Per-command state while a batch is built.</summary>
internal sealed class VoteWork(VoteCommand command)
{
    public VoteCommand Command { get; } = command;
    public long EpisodeId { get; set; }
    public LineupEntry? Entry { get; set; }
    public VoteRefusal? Refusal { get; set; }
    public bool Debited { get; set; }
    public long BundleId { get; set; }
    public long VoteId { get; set; }
    public int Points { get; set; }
    public string? Carrier { get; set; }
    public long AmountCents { get; set; }
    public bool Replayed { get; set; }
    public string? ReplayContestantName { get; set; }
    public long ReplayContestant { get; set; }
    public int DuplicateOf { get; set; } = -1;
    public bool NeedsExistenceCheck { get; set; }

    public VoteRequest Request => Command.Request;
    public bool Accepted => Refusal is null && DuplicateOf < 0 && (Debited || Replayed);
}
