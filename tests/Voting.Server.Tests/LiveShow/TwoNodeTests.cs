using System.Diagnostics;
using System.Globalization;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.LiveShow;

/// <summary>
/// Two server processes on one PostgreSQL: votes cast on one reach the other's viewers, and one
/// node at a time (the holder of the clock lock) closes windows on time.
/// </summary>
public sealed class TwoNodeTests
{
    private static Dictionary<string, string> Node(int shard) => new()
    {
        ["Storage__TallyShard"] = shard.ToString(CultureInfo.InvariantCulture),
        ["Show__ScanSeconds"] = "1",
        ["Logging__LogLevel__Voting.Server.Show.ShowClock"] = "Information",
    };

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static int ClosesLogged(ServerProcess node) => node.Output.Count(l => l.Contains("Voting closed on time", StringComparison.Ordinal));

    [Fact]
    public async Task VotesOnOneNodeReachTheOthersViewersAndOnlyOneNodeClosesTheWindow()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Postgres);
        await using var a = await ServerProcess.StartAsync(db, Node(1));
        await using var b = await ServerProcess.StartAsync(db, Node(2));
        var e = await a.Api.CreateEpisodeAsync(contestants: 3);
        var voters = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => a.Api.SignInAsync()));
        await using var onB = await LiveWatcher.WebSocketAsync(b.Address, e.EpisodeId);
        await using var onA = await LiveWatcher.SseAsync(a.Address, e.EpisodeId);
        await onB.NextAsync("LIVE_RESULTS");

        await new Signals(a.Client, TimeProvider.System).OkAsync("VOTING_OPEN", new { episode_id = e.EpisodeId, duration = 12 });
        var open = await onB.NextAsync("VOTING_OPEN", TimeSpan.FromSeconds(2));
        var total = 0;
        foreach (var (voter, round) in voters.Select((v, i) => (v, i)))
        {
            await a.Api.VoteOkAsync(voter.Token, e.Contestants[round % 3], count: round + 1);
            total += round + 1;
            var answered = Stopwatch.GetTimestamp();
            var live = await onB.NextAsync(m => m.Type == "LIVE_RESULTS" && m.Data.GetProperty("total_votes").GetInt64() == total);
            Assert.True(Stopwatch.GetElapsedTime(answered, live.ArrivedAt) < TimeSpan.FromSeconds(2),
                $"votes committed on node A reached node B's viewer {Stopwatch.GetElapsedTime(answered, live.ArrivedAt)} later");
        }
        var closedOnB = await onB.NextAsync("VOTING_CLOSED", TimeSpan.FromSeconds(20));
        var closedOnA = await onA.NextAsync("VOTING_CLOSED", TimeSpan.FromSeconds(5));
        var readyOnB = await onB.NextAsync("RESULTS_READY", TimeSpan.FromSeconds(10));

        var closesAt = At(open.Data.GetProperty("closes_at").GetString()!);
        Assert.Equal(closesAt, At(closedOnB.Data.GetProperty("closed_at").GetString()!));
        Assert.Equal(closedOnB.Data.GetRawText(), closedOnA.Data.GetRawText());
        Assert.Equal("timer", closedOnB.Data.GetProperty("reason").GetString());
        Assert.Equal(total, readyOnB.Data.GetProperty("total_votes").GetInt64());
        var log = await db.QueryAsync("SELECT event, actor FROM show_transitions WHERE episode_id = $1 ORDER BY id", e.EpisodeId);
        Assert.Equal(["VOTING_OPEN", "VOTING_CLOSE", "RESULTS_READY"], log.Select(r => (string)r[0]!));
        // The first node to start holds the clock lock: it and only it closed the window.
        Assert.EndsWith($":{a.Id}", (string)log[1][1]!, StringComparison.Ordinal);
        Assert.StartsWith("timer@", (string)log[1][1]!, StringComparison.Ordinal);
        Assert.Equal((1, 0), (ClosesLogged(a), ClosesLogged(b)));
        var audit = await b.Api.AuditAsync(e.EpisodeId);
        Assert.True(audit.GetProperty("consistent").GetBoolean());
        Assert.Equal(audit.GetProperty("digest").GetString(), readyOnB.Data.GetProperty("audit").GetProperty("digest").GetString());
    }

    [Fact]
    public async Task WhenTheNodeRunningTheClocksDiesAnotherClosesTheWindowOnTime()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Postgres);
        var a = await ServerProcess.StartAsync(db, Node(1));
        await using var b = await ServerProcess.StartAsync(db, Node(2));
        var e = await a.Api.CreateEpisodeAsync();
        await using var onB = await LiveWatcher.WebSocketAsync(b.Address, e.EpisodeId);
        await new Signals(a.Client, TimeProvider.System).OkAsync("VOTING_OPEN", new { episode_id = e.EpisodeId, duration = 8 });
        var open = await onB.NextAsync("VOTING_OPEN", TimeSpan.FromSeconds(2));

        await a.KillAsync();
        await a.DisposeAsync();
        var closed = await onB.NextAsync("VOTING_CLOSED", TimeSpan.FromSeconds(20));

        Assert.Equal(At(open.Data.GetProperty("closes_at").GetString()!), At(closed.Data.GetProperty("closed_at").GetString()!));
        var actor = (string)(await db.QueryAsync("SELECT actor FROM show_transitions WHERE event = 'VOTING_CLOSE'"))[0][0]!;
        Assert.EndsWith($":{b.Id}", actor, StringComparison.Ordinal);
        Assert.Equal(1, ClosesLogged(b));
    }
}
