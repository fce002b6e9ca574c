namespace Voting.Storage.Sql;

/// <summary>
/// The tally shards of one process's vote batches in flight. Every batch adds its votes to the
/// tally rows of its episode's contestants (and of the hour and minute) and holds those rows'
/// locks until it commits, so batches writing the same shard queue behind each other's commits,
/// fsync included. Each batch in flight takes a lane of its own, and its rows are the shard
/// <c>TallyShard × 64 + lane</c>: the node's batches, like its nodes, never wait for one another
/// on a tally row (readers sum the shards). A lane is free again once its batch has ended.
/// </summary>
internal sealed class TallyLanes
{
    /// <summary>Lanes per process: shards <c>TallyShard × 64</c> to <c>TallyShard × 64 + 63</c>.</summary>
    public const int PerProcess = 64;

    private long _busy;

    /// <summary>The lowest free lane; if all are taken (more batches than lanes), lane 0, shared (correct, only slower).</summary>
    public Lane Take()
    {
        while (true)
        {
            var busy = Volatile.Read(ref _busy);
            if (busy == -1L) return new Lane(this, 0, owned: false);
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
