using Voting.Storage.Sql;

namespace Voting.Storage.Tests.Voting;

/// <summary>Each vote batch in flight takes a lane of its own, so its tally rows are a shard no other batch of the process writes.</summary>
public sealed class TallyLanesTests
{
    [Fact]
    public void ABatchTakesTheLowestFreeLaneAndGivesItBackWhenDone()
    {
        var lanes = new TallyLanes();
        var first = lanes.Take();
        var second = lanes.Take();
        var third = lanes.Take();
        Assert.Equal((0, 1, 2), (first.Number, second.Number, third.Number));

        second.Dispose();
        var next = lanes.Take();
        Assert.Equal(1, next.Number);
        Assert.Equal(3, lanes.Take().Number);
        first.Dispose();
        Assert.Equal(0, lanes.Take().Number);
    }

    [Fact]
    public void PastTheLastLaneBatchesShareLaneZeroWithoutFreeingIt()
    {
        var lanes = new TallyLanes();
        var held = Enumerable.Range(0, TallyLanes.PerProcess).Select(_ => lanes.Take()).ToList();
        Assert.Equal(Enumerable.Range(0, TallyLanes.PerProcess), held.Select(l => l.Number));

        var extra = lanes.Take();
        Assert.Equal(0, extra.Number);
        extra.Dispose();
        // Lane 0 is still its first holder's: the shared use gave nothing back.
        held[5].Dispose();
        Assert.Equal(5, lanes.Take().Number);
        Assert.Equal(0, lanes.Take().Number);
    }

    [Fact]
    public void WithFourLanesTheFifthBatchInFlightSharesLaneZero()
    {
        var lanes = new TallyLanes(4);
        var held = Enumerable.Range(0, 4).Select(_ => lanes.Take()).ToList();
        Assert.Equal([0, 1, 2, 3], held.Select(l => l.Number));
        Assert.Equal(0, lanes.Take().Number);
        held[2].Dispose();
        Assert.Equal(2, lanes.Take().Number);
    }

    [Fact]
    public void WithOneLaneEveryBatchWritesLaneZero()
    {
        var lanes = new TallyLanes(1);
        using var first = lanes.Take();
        using var second = lanes.Take();
        Assert.Equal((0, 0), (first.Number, second.Number));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void LanesAreOneTo64(int count) => Assert.Throws<ArgumentOutOfRangeException>(() => new TallyLanes(count));

    [Fact]
    public void BatchesTakingLanesAtOnceNeverHoldTheSameOne()
    {
        var lanes = new TallyLanes();
        var holders = new int[TallyLanes.PerProcess];
        var clashes = 0;
        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            using var lane = lanes.Take();
            if (Interlocked.Increment(ref holders[lane.Number]) != 1) Interlocked.Increment(ref clashes);
            Thread.SpinWait(50);
            Interlocked.Decrement(ref holders[lane.Number]);
        });
        Assert.Equal(0, clashes);
    }

    [Fact]
    public void PastTwoLanesBatchesShareLaneZeroAndLaneOneIsNeverHeldTwice()
    {
        var lanes = new TallyLanes(2);
        var holders = new int[2];
        var clashes = 0;
        Parallel.For(0, 20_000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            using var lane = lanes.Take();
            Assert.InRange(lane.Number, 0, 1);
            if (Interlocked.Increment(ref holders[lane.Number]) != 1 && lane.Number == 1) Interlocked.Increment(ref clashes);
            Thread.SpinWait(50);
            Interlocked.Decrement(ref holders[lane.Number]);
        });
        Assert.Equal(0, clashes);
        // Every lane is free again: the shared uses of lane 0 gave nothing back that they did not own.
        Assert.Equal((0, 1, 0), (lanes.Take().Number, lanes.Take().Number, lanes.Take().Number));
    }

    [Theory]
    [InlineData(0, 0, 0L)]
    [InlineData(0, 63, 63L)]
    [InlineData(7, 0, 448L)]
    [InlineData(7, 5, 453L)]
    [InlineData(int.MaxValue, 63, 137_438_953_471L)]
    public void AProcessShardsAreItsTallyShardTimes64PlusTheLane(int tallyShard, int lane, long shard) =>
        Assert.Equal(shard, TallyLanes.Shard(tallyShard, lane));
}
