using System.Threading.Channels;
using Npgsql;
using Voting.Domain;
using Voting.Domain.Show;
using Voting.Storage.Postgres;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.Nodes;

/// <summary>
/// Nodes on one PostgreSQL: one at a time holds the clock lock, and each hears the others'
/// notices but not its own. Each node here has its own connection pool, as a process would.
/// </summary>
public sealed class PostgresNodeCoordinationContractTests() : VotingStoreContractTests(StoreKind.Postgres)
{
    private readonly List<NpgsqlDataSource> _pools = [];
    private readonly List<INodeCoordination> _nodes = [];
    private readonly List<Task> _listening = [];
    private readonly CancellationTokenSource _stop = new();

    private INodeCoordination Node(string name)
    {
        var pool = PostgresDataSource.CreateForSessions(Database.ConnectionString);
        var node = new PostgresNodeCoordination(pool, name);
        _pools.Add(pool);
        _nodes.Add(node);
        return node;
    }

    [Fact]
    public async Task OneNodeAtATimeHoldsTheClockLockAndReleasingItLetsAnotherTakeIt()
    {
        var a = Node("a");
        var b = Node("b");

        Assert.False(a.IsSingleNode);
        Assert.True(await a.TryHoldClockLockAsync(Ct));
        Assert.False(await b.TryHoldClockLockAsync(Ct));
        Assert.True(await a.TryHoldClockLockAsync(Ct));
        await a.ReleaseClockLockAsync(Ct);
        Assert.True(await b.TryHoldClockLockAsync(Ct));
        Assert.False(await a.TryHoldClockLockAsync(Ct));
    }

    [Fact]
    public async Task WhenTheHolderDiesAnotherNodeTakesTheClockLock()
    {
        var a = Node("a");
        var b = Node("b");
        Assert.True(await a.TryHoldClockLockAsync(Ct));
        Assert.False(await b.TryHoldClockLockAsync(Ct));

        // The holder's session ends as a dead node's does (the clock lock is this database's only advisory lock).
        await Database.QueryAsync(
            "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted " +
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");

        // pg_terminate_backend only signals the backend: its session (and lock) ends a moment later.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await b.TryHoldClockLockAsync(Ct))
        {
            Assert.True(DateTime.UtcNow < deadline, "the dead holder's lock was not released within 10 s");
            await Task.Delay(50, Ct);
        }
        Assert.False(await a.TryHoldClockLockAsync(Ct));
    }

    [Fact]
    public async Task NoticesReachTheOtherNodesAndNotTheSender()
    {
        var show = await CreateShowAsync();
        var a = Node("node-a");
        var b = Node("node-b");
        var heardByA = await ListenAsync(a);
        var heardByB = await ListenAsync(b);

        await a.PublishAsync(new NodeNotice(NodeNoticeKind.ResultsChanged, show.Episode), Ct);
        // A show transition's notice is sent by the store, on commit, in the name of its node.
        var storeOfA = NewStore(configure: o => o.NodeName = "node-a");
        Assert.Equal(ShowChangeStatus.Applied, (await storeOfA.ChangeShowAsync(show.Episode, new StartShow(), "operator", null, Ct)).Status);
        await b.PublishAsync(new NodeNotice(NodeNoticeKind.ShowChanged, new EpisodeId(99)), Ct);

        Assert.Equal(new NodeNotice(NodeNoticeKind.ResultsChanged, show.Episode), await NextAsync(heardByB));
        Assert.Equal(new NodeNotice(NodeNoticeKind.ShowChanged, show.Episode), await NextAsync(heardByB));
        Assert.Equal(new NodeNotice(NodeNoticeKind.ShowChanged, new EpisodeId(99)), await NextAsync(heardByA));
        await Task.Delay(200, Ct);
        Assert.False(heardByA.TryRead(out var own), $"node-a heard its own notice {own}");
        Assert.False(heardByB.TryRead(out var more), $"node-b heard {more}");
    }

    /// <summary>Listens on <paramref name="node"/> for the rest of the test; returns once it receives notices.</summary>
    private async Task<ChannelReader<NodeNotice>> ListenAsync(INodeCoordination node)
    {
        var heard = Channel.CreateUnbounded<NodeNotice>();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listen = node.ListenAsync(n => heard.Writer.TryWrite(n), listening.SetResult, _stop.Token);
        _listening.Add(listen);
        await Task.WhenAny(listening.Task, listen);
        Assert.True(listening.Task.IsCompleted, "the node did not start listening");
        return heard.Reader;
    }

    private async Task<NodeNotice> NextAsync(ChannelReader<NodeNotice> heard)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        return await heard.ReadAsync(timeout.Token);
    }

    public override async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_listening.Select(l => l.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
        foreach (var node in _nodes) await node.DisposeAsync();
        foreach (var pool in _pools) await pool.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>SQLite: one process is the whole service.</summary>
public sealed class SingleNodeCoordinationTests
{
    [Fact]
    public async Task ASingleNodeAlwaysHoldsTheClockLockAndHasNoOneToTell()
    {
        await using INodeCoordination node = new SingleNodeCoordination();
        using var stop = new CancellationTokenSource();
        var listening = false;

        Assert.True(node.IsSingleNode);
        Assert.True(await node.TryHoldClockLockAsync(stop.Token));
        await node.ReleaseClockLockAsync(stop.Token);
        Assert.True(await node.TryHoldClockLockAsync(stop.Token));
        var listen = node.ListenAsync(_ => Assert.Fail("a single node hears no notices"), () => listening = true, stop.Token);
        await node.PublishAsync(new NodeNotice(NodeNoticeKind.ResultsChanged, new EpisodeId(1)), stop.Token);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listen);
        Assert.True(listening);
    }
}
