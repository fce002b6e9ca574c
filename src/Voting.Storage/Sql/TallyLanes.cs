namespace Voting.Storage.Sql;

/// <summary>
/// The tally shards of one process's vote batches in flight (<c>Storage:TallyLanes</c>). Every
/// batch adds its votes to the tally rows of its episode's contestants (and of the hour and
/// minute) and holds those rows' locks until it commits, so batches writing the same shard queue
/// behind each other's commits, fsync included. With more than one lane, each batch in flight
/// takes a lane of its own while there is one free, and its rows are the shard
/// <c>TallyShard × 64 + lane</c>: the node's batches, like its nodes, do not wait for one another on
/// a tally row (readers sum the shards). A lane is free again once its batch has ended; past the
/// last, batches share lane 0 (correct, only waiting as with one lane).
/// </summary>
internal sealed class TallyLanes
{
    /// <summary>Most lanes per process: shards <c>TallyShard × 64</c> to <c>TallyShard × 64 + 63</c>.</summary>
    public const int PerProcess = 64;

    private readonly long _all;
    private long _busy;

    /// <param name="lanes">How many lanes, 1 to <see cref="PerProcess"/>.</param>
    public TallyLanes(int lanes = PerProcess)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lanes, PerProcess);
        _all = lanes == PerProcess ? -1L : (1L << lanes) - 1;
    }

    /// <summary>The lowest free lane; if all are taken, lane 0, shared.</summary>
    public Lane Take()
    {
        while (true)
        {
            var busy = Volatile.Read(ref _busy);
            if ((busy & _all) == _all) return new Lane(this, 0, owned: false);
            var lane = System.Numerics.BitOperations.TrailingZeroCount(~busy);
            if (Interlocked.CompareExchange(ref _busy, busy | (1L << lane), busy) == busy) return new Lane(this, lane, owned: true);
        }
    }

    private void Release(int lane) => Interlocked.And(ref _busy, ~(1L << lane));

    public static long Shard(int tallyShard, int lane) => (long)tallyShard * PerProcess + lane;

    /// <summary>A lane held until disposed.</summary>
    public readonly struct Lane(TallyLanes lanes, int number, bool owned) : IDisposable
    {
        public int Number => number;

        public void Dispose()
        {
            if (owned) lanes.Release(number);
        }
    }
}
