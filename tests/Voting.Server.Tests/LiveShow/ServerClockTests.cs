using System.Globalization;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.LiveShow;

/// <summary>
/// The server's own clock runs the window: its cadence of messages, and the close, driven here by
/// a manual TimeProvider whose timers fire as the test moves it.
/// </summary>
public abstract class ServerClockTests(StoreKind kind)
{
    private static DateTimeOffset WholeSecondNow() => DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    private static readonly string[] TimerTypes = ["TIME_UPDATE", "WARNING", "COUNTDOWN"];

    /// <summary>The timer messages a window speaks from <paramref name="from"/> seconds left down to 1.</summary>
    private static List<string> Cadence(long from)
    {
        var expected = new List<string>();
        for (var k = from; k >= 1; k--)
        {
            if (k > 10 && k % 10 == 0) expected.Add($"TIME_UPDATE {k}");
            if (k == 60) expected.Add("WARNING 60");
            if (k <= 10) expected.Add($"COUNTDOWN {k}");
        }
        return expected;
    }

    private static List<string> Spoken(IEnumerable<PushMessage> messages) =>
        messages.Where(m => TimerTypes.Contains(m.Type)).Select(m => $"{m.Type} {m.Remaining}").ToList();

    [Fact]
    public async Task AnOpenWindowSpeaksOnCadenceClosesOnTimeAndRefusesLaterVotes()
    {
        var start = WholeSecondNow();
        var clock = new ManualClock(start) { DrivesTimers = true };
        await using var server = await VotingTestServer.StartAsync(kind, time: clock);
        var api = server.Api;
        var e = await api.CreateEpisodeAsync();
        var voter = await api.SignInAsync();
        var signals = new Signals(server.Client, clock);
        await using var watcher = await LiveWatcher.WebSocketAsync(server.Address, e.EpisodeId);
        await signals.OkAsync("VOTING_OPEN", new { episode_id = e.EpisodeId, duration = 125 });
        var open = await watcher.NextAsync("VOTING_OPEN");

        // Uneven steps: each boundary still speaks once, at its own moment.
        foreach (var step in new[] { 3, 14, 29, 1, 18 }) clock.Advance(TimeSpan.FromSeconds(step));
        await api.VoteOkAsync(voter.Token, e.Contestants[0], count: 2);
        clock.Advance(TimeSpan.FromSeconds(59.999));
        await api.VoteOkAsync(voter.Token, e.Contestants[1]);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var closed = await watcher.NextAsync("VOTING_CLOSED");
        var closedState = await watcher.NextAsync("STATE_UPDATE");
        var late = await api.VoteAsync(voter.Token, e.Contestants[0]);
        var ready = await watcher.NextAsync("RESULTS_READY");
        var readyState = await watcher.NextAsync("STATE_UPDATE");

        Assert.Equal(125, open.Remaining);
        var spoken = watcher.Messages.Where(m => TimerTypes.Contains(m.Type)).ToList();
        Assert.Equal(Cadence(124), Spoken(spoken));
        Assert.All(spoken, m =>
        {
            Assert.Equal(start.AddSeconds(125 - m.Remaining), At(m.SentAt));
            Assert.Equal(start.AddSeconds(125), At(m.Data.GetProperty("closes_at").GetString()!));
        });
        Assert.Equal(start.AddSeconds(125), At(closed.Data.GetProperty("closed_at").GetString()!));
        Assert.Equal("timer", closed.Data.GetProperty("reason").GetString());
        Assert.Equal("VOTING_CLOSED", closedState.State);
        ApiAssert.Error(late, 422, "VOTING_CLOSED");
        Assert.Equal(3, ready.Data.GetProperty("total_votes").GetInt64());
        Assert.Equal(3, ready.Data.GetProperty("audit").GetProperty("vote_count").GetInt64());
        Assert.Equal((await api.AuditAsync(e.EpisodeId)).GetProperty("digest").GetString(), ready.Data.GetProperty("audit").GetProperty("digest").GetString());
        Assert.Equal("RESULTS_READY", readyState.State);
        var closes = await server.Database.QueryAsync("SELECT actor FROM show_transitions WHERE event = 'VOTING_CLOSE'");
        Assert.StartsWith("timer@", (string)Assert.Single(closes)[0]!, StringComparison.Ordinal);
        var seqs = watcher.Messages.Select(m => m.Seq).ToList();
        Assert.Equal(seqs.Order().Distinct(), seqs);
    }

    [Fact]
    public async Task ARestartedServerResumesTheCountdownAndClosesOnTime()
    {
        var start = WholeSecondNow();
        var clock = new ManualClock(start) { DrivesTimers = true };
        await using var db = await TestDatabase.CreateAsync(kind);
        long episode;
        long contestant;
        SignedIn voter;
        await using (var first = await VotingTestServer.StartAsync(kind, time: clock, database: db))
        {
            var e = await first.Api.CreateEpisodeAsync();
            (episode, contestant) = (e.EpisodeId, e.Contestants[0]);
            // Signed in before the clock moves far from real time: tokens are checked against real time.
            voter = await first.Api.SignInAsync();
            await using var watcher = await LiveWatcher.WebSocketAsync(first.Address, episode);
            await new Signals(first.Client, clock).OkAsync("VOTING_OPEN", new { episode_id = episode, duration = 120 });
            await watcher.NextAsync("VOTING_OPEN");
            clock.Advance(TimeSpan.FromSeconds(30));
            await watcher.NextAsync(m => m.Type == "TIME_UPDATE" && m.Remaining == 90);
            Assert.Equal(Cadence(119).Take(3), Spoken(watcher.Messages));

            await first.StopAsync();
            await watcher.Ended.WaitAsync(TimeSpan.FromSeconds(10));
            // A clean close frame on shutdown: "going away".
            Assert.Equal("EndpointUnavailable", watcher.EndedWith);
        }

        clock.Advance(TimeSpan.FromSeconds(25.5)); // down for a while; 64.5 s left
        await using var second = await VotingTestServer.StartAsync(kind, time: clock, database: db);
        await using var again = await LiveWatcher.WebSocketAsync(second.Address, episode);
        var state = await again.NextAsync("STATE_UPDATE");
        await second.Api.VoteOkAsync(voter.Token, contestant);
        clock.Advance(TimeSpan.FromSeconds(64.5));
        var closed = await again.NextAsync("VOTING_CLOSED");

        Assert.Equal("VOTING_OPEN", state.State);
        Assert.Equal(65, state.Data.GetProperty("voting").GetProperty("remaining").GetInt64());
        Assert.Equal(Cadence(64), Spoken(again.Messages));
        Assert.Equal(start.AddSeconds(120), At(closed.Data.GetProperty("closed_at").GetString()!));
        Assert.Equal("timer", closed.Data.GetProperty("reason").GetString());
        ApiAssert.Error(await second.Api.VoteAsync(voter.Token, contestant), 422, "VOTING_CLOSED");
        Assert.Equal(1, (await again.NextAsync("RESULTS_READY")).Data.GetProperty("total_votes").GetInt64());
    }

    [Fact]
    public async Task AWindowThatEndedWhileTheServerWasDownClosesAtItsEndWhenTheServerStarts()
    {
        var start = WholeSecondNow();
        var clock = new ManualClock(start) { DrivesTimers = true };
        await using var db = await TestDatabase.CreateAsync(kind);
        long episode;
        await using (var first = await VotingTestServer.StartAsync(kind, time: clock, database: db))
        {
            episode = (await first.Api.CreateEpisodeAsync()).EpisodeId;
            await new Signals(first.Client, clock).OkAsync("VOTING_OPEN", new { episode_id = episode, duration = 60 });
            await first.StopAsync();
        }
        clock.Advance(TimeSpan.FromMinutes(5));

        await using var second = await VotingTestServer.StartAsync(kind, time: clock, database: db);
        await using var watcher = await LiveWatcher.WebSocketAsync(second.Address, episode);
        var state = await watcher.NextAsync(m => m.Type == "STATE_UPDATE" && m.State == "RESULTS_READY");

        Assert.Equal(start.AddSeconds(60), At(state.Data.GetProperty("voting").GetProperty("closes_at").GetString()!));
        Assert.Equal(0, state.Data.GetProperty("voting").GetProperty("remaining").GetInt64());
        var reason = await second.Database.QueryAsync("SELECT closed_reason FROM episode_shows WHERE episode_id = $1", episode);
        Assert.Equal("timer", reason[0][0]);
    }
}

public sealed class SqliteServerClockTests() : ServerClockTests(StoreKind.Sqlite);

public sealed class PostgresServerClockTests() : ServerClockTests(StoreKind.Postgres);
