using Voting.Domain.Ledger;

namespace Voting.Storage.Ledger;

/// <summary>A counter kept from the ledger: sums one kind of delta per row and writes it set-wise.</summary>
internal interface IProjection
{
    /// <summary>The writes of this transaction's deltas (none when none are this projection's).</summary>
    IEnumerable<SetWrite> Plan(IReadOnlyList<LedgerDelta> deltas, LedgerStamp stamp, LedgerHints hints);
}

/// <summary>
/// What the transaction has already read, so a projection can write less: the voter and episode
/// pairs whose <c>voter_episode</c> row exists (the vote batch reads them, under the voters' row
/// locks, to judge free votes). A pair not known here is written as if it may be new, which is
/// always correct.
/// </summary>
internal sealed class LedgerHints(Func<long, long, bool> voterEpisodeExists)
{
    public static readonly LedgerHints None = new((_, _) => false);

    public bool VoterEpisodeExists(long voter, long episode) => voterEpisodeExists(voter, episode);
}

/// <summary>
/// A projection of <typeparamref name="TDelta"/>: one class per counter, holding its statement on
/// each store and its guard (the condition its statement checks, so a limit holds even if the
/// deciding code were wrong).
/// </summary>
internal abstract class Projection<TDelta> : IProjection where TDelta : LedgerDelta
{
    /// <summary>What it counts, for errors ("wallet balance").</summary>
    protected abstract string Name { get; }
    protected abstract Col[] Columns { get; }
    /// <summary>Whether its statement returns a row for each row it changed, and a missing one refuses the transaction.</summary>
    protected virtual bool Guarded => false;
    protected abstract string Sqlite { get; }
    protected abstract string Postgres { get; }

    /// <summary>The deltas summed per row of the counter, in key order (one lock order for every transaction).</summary>
    protected abstract IEnumerable<object?[]> Rows(IEnumerable<TDelta> deltas, LedgerStamp stamp);

    public IEnumerable<SetWrite> Plan(IReadOnlyList<LedgerDelta> deltas, LedgerStamp stamp, LedgerHints hints)
    {
        var rows = Rows(deltas.OfType<TDelta>(), stamp).ToList();
        return rows.Count == 0 ? [] : Split(new SetWrite(Name, Sqlite, Postgres, Columns, rows, Guarded), hints);
    }

    /// <summary>The write as it is, or in parts a hint lets the store write more cheaply.</summary>
    protected virtual IEnumerable<SetWrite> Split(SetWrite write, LedgerHints hints) => [write];
}

/// <summary>
/// Every projection, in the order a transaction writes them: first the rows of the batch's own
/// voters (locked already, so nothing else waits on them), then the counters every batch shares
/// (tallies), in key order and last, so their row locks are held for as short a time as possible.
/// </summary>
internal static class Projections
{
    public static readonly IReadOnlyList<IProjection> All =
    [
        new BalanceProjection(),
        new VoterEpisodeProjection(),
        new SmsUseProjection(),
        new BundleProjection(),
        new PushPendingProjection(),
        new TallyProjection(),
        new HourlyTallyProjection(),
        new MinuteTallyProjection(),
    ];

    /// <summary>The writes that move every counter by <paramref name="deltas"/>.</summary>
    public static List<SetWrite> Plan(IReadOnlyList<LedgerDelta> deltas, LedgerStamp stamp, LedgerHints? hints = null) =>
        All.SelectMany(p => p.Plan(deltas, stamp, hints ?? LedgerHints.None)).ToList();
}
