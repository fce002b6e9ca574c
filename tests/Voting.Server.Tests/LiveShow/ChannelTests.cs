using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Voting.Server.Infrastructure;
using Voting.Server.Live;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.LiveShow;

/// <summary>The push channels themselves: who may connect, the contestant channel, slow clients, shutdown.</summary>
public abstract class ChannelTests(StoreKind kind)
{
    private static async Task<(HttpStatusCode Status, string? Code)> WebSocketRefusalAsync(Uri server, string query)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://{server.Authority}/ws/voting{query}"), CancellationToken.None));
        return (socket.HttpStatusCode, null);
    }

    [Fact]
    public async Task AChannelNeedsAnEpisodeThatExistsAndAContestantOfItsLineup()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var e = await server.Api.CreateEpisodeAsync(contestants: 2);
        var stranger = await server.Api.CreateAsync("/api/v1/admin/contestants", new { name = "Stranger" });
        var api = server.Api;
        const string Stream = "/api/v1/xfactor/voting/stream";

        ApiAssert.Error(await api.GetAsync($"/ws/voting?episode_id={e.EpisodeId}"), 400, "INVALID_REQUEST");
        Assert.Equal(HttpStatusCode.BadRequest, (await WebSocketRefusalAsync(server.Address, "")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await WebSocketRefusalAsync(server.Address, "?episode_id=abc")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await WebSocketRefusalAsync(server.Address, $"?episode_id={e.EpisodeId}&last_seq=-4")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await WebSocketRefusalAsync(server.Address, "?episode_id=987654")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await WebSocketRefusalAsync(server.Address, $"?episode_id={e.EpisodeId}&contestant_id={stranger}")).Status);
        ApiAssert.Error(await api.GetAsync($"{Stream}/0"), 400, "INVALID_REQUEST");
        ApiAssert.Error(await api.GetAsync($"{Stream}/987654"), 404, "EPISODE_NOT_FOUND");
        ApiAssert.Error(await api.GetAsync($"{Stream}/{e.EpisodeId}?contestant_id={stranger}"), 404, "CONTESTANT_NOT_FOUND");
        ApiAssert.Error(await api.GetAsync($"{Stream}/{e.EpisodeId}?contestant_id=x"), 400, "INVALID_REQUEST");
        ApiAssert.Error(await api.GetAsync($"{Stream}/{e.EpisodeId}?last_seq=1.5"), 400, "INVALID_REQUEST");
        Assert.Equal(0, server.Services.GetRequiredService<LiveHub>().SubscriberCount(new Domain.EpisodeId(e.EpisodeId)));
    }

    [Fact]
    public async Task AReconnectWithTheLastSeqSeenGetsAFreshSnapshotNumberedAfterIt()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var e = await server.Api.OpenEpisodeAsync();
        await using var first = await LiveWatcher.WebSocketAsync(server.Address, e.EpisodeId);
        var seen = (await first.NextAsync("LIVE_RESULTS")).Seq;
        // A client that saw numbers from a node whose clock runs ahead still gets larger ones.
        var ahead = seen + 5_000_000;

        await using var ws = await LiveWatcher.WebSocketAsync(server.Address, e.EpisodeId, lastSeq: ahead);
        await using var sse = await LiveWatcher.SseAsync(server.Address, e.EpisodeId, lastEventId: (ahead + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

        foreach (var w in new[] { ws, sse })
        {
            var state = await w.NextAsync();
            var results = await w.NextAsync();
            Assert.Equal(("STATE_UPDATE", "LIVE_RESULTS"), (state.Type, results.Type));
            Assert.True(state.Seq > ahead && results.Seq > state.Seq, $"{state.Seq} {results.Seq} after {ahead}");
        }
    }

    [Fact]
    public async Task TheContestantChannelAddsVoteUpdatesAndRecentVotesWithMaskedVoters()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60);
        var clock = new ManualClock(start);
        await using var server = await VotingTestServer.StartAsync(kind, time: clock);
        var api = server.Api;
        var e = await api.OpenEpisodeAsync(contestants: 3);
        var star = e.Contestants[1];
        var sophea = await api.SignInAsync("012345645");
        await server.Database.ExecuteAsync("UPDATE voters SET display_name = 'Sophea' WHERE id = $1", sophea.UserId);
        var plain = await api.SignInAsync("096123457");
        clock.Advance(TimeSpan.FromMinutes(1));
        await api.VoteOkAsync(sophea.Token, star, count: 2);
        await api.VoteOkAsync(plain.Token, e.Contestants[0], count: 1);
        clock.Advance(TimeSpan.FromMinutes(1));
        await using var fan = await LiveWatcher.WebSocketAsync(server.Address, e.EpisodeId, contestant: star);
        await using var fanSse = await LiveWatcher.SseAsync(server.Address, e.EpisodeId, contestant: star);
        await using var everyone = await LiveWatcher.WebSocketAsync(server.Address, e.EpisodeId);
        await fan.NextAsync("LIVE_RESULTS");

        clock.Advance(TimeSpan.FromSeconds(10));
        await api.VoteOkAsync(plain.Token, star, count: 3);
        var live = await fan.NextAsync(m => m.Type == "LIVE_RESULTS" && m.Data.GetProperty("total_votes").GetInt64() == 6);
        var update = await fan.NextAsync(m => m.Type == "vote_update" && m.Data.GetProperty("votes").GetInt64() == 5);
        var detail = await fan.NextAsync(m => m.Type == "detailed_update" && m.Data.GetProperty("recent_votes").GetArrayLength() == 2);
        await fanSse.NextAsync(m => m.Raw == detail.Raw);
        await everyone.NextAsync(m => m.Type == "LIVE_RESULTS" && m.Data.GetProperty("total_votes").GetInt64() == 6);

        var row = live.Data.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("contestant_id").GetInt64() == star);
        Assert.Equal($"{{\"contestant_id\":{star},\"votes\":5,\"percentage\":{row.GetProperty("percentage").GetRawText()},\"rank\":1}}",
            update.Data.GetRawText());
        Assert.Equal("83.33", row.GetProperty("percentage").GetRawText());
        var recent = detail.Data.GetProperty("recent_votes").EnumerateArray().ToList();
        Assert.Equal(["096***57 3 free", "So***a 2 free"],
            recent.Select(v => $"{v.GetProperty("voter").GetString()} {v.GetProperty("vote_count")} {v.GetProperty("vote_type").GetString()}"));
        Assert.Equal(LiveJson.Time(start.AddMinutes(2).AddSeconds(10)), recent[0].GetProperty("at").GetString());
        // Votes in the last whole hour and none in the hour before.
        Assert.Equal("hot", detail.Data.GetProperty("trending").GetString());
        Assert.DoesNotContain(everyone.Messages, m => m.Type is "vote_update" or "detailed_update");
        Assert.DoesNotContain(fan.Messages.Concat(fanSse.Messages), m =>
            m.Type is "vote_update" or "detailed_update" && m.Data.GetProperty("contestant_id").GetInt64() != star);
    }

    /// <summary>A WebSocket client that completes the handshake on a tiny receive buffer and then never reads.</summary>
    private static async Task<Socket> StalledWebSocketAsync(Uri server, long episode)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 1024 };
        await socket.ConnectAsync(IPAddress.Loopback, server.Port);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await socket.SendAsync(Encoding.ASCII.GetBytes(
            $"GET /ws/voting?episode_id={episode} HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await socket.ReceiveAsync(one) == 1) head.Append((char)one[0]);
        Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
        return socket;
    }

    [Fact]
    public async Task AClientThatNeverReadsDelaysNoOneAndIsDropped() =>
        // A short queue: the stalled client's queue overflows long before its send times out.
        await StalledClientIsDroppedAsync(maxQueued: 16, sendTimeoutSeconds: 5, nameLength: 10_000, rounds: 250, dropWithin: TimeSpan.FromSeconds(15));

    [Fact]
    public async Task AClientWhoseSendStallsIsDroppedAfterTheSendTimeout() =>
        // A queue longer than every message sent: only the send timeout (the hub's watchdog) can drop it.
        await StalledClientIsDroppedAsync(maxQueued: 10_000, sendTimeoutSeconds: 1, nameLength: 50_000, rounds: 100, dropWithin: TimeSpan.FromSeconds(8));

    [Fact]
    public async Task AClientThatClosesWhileItsSendIsStalledIsStillCut() =>
        // Its close frame ends the stream while the server's writer is stuck in a send to it: the
        // watchdog must cut that connection too, or the writer (and the connection) stay forever.
        // The send timeout is long enough that the close frame surely arrives before it runs out.
        await StalledClientIsDroppedAsync(maxQueued: 10_000, sendTimeoutSeconds: 15, nameLength: 50_000, rounds: 50, dropWithin: TimeSpan.FromSeconds(20), closeWhileStalled: true);

    /// <summary>
    /// A client that stops reading, beside a healthy WebSocket and SSE client: megabytes of state
    /// changes must reach the healthy ones on time while the stalled one is dropped (and its
    /// stream ended) within <paramref name="dropWithin"/> of the last change.
    /// </summary>
    private async Task StalledClientIsDroppedAsync(
        int maxQueued, int sendTimeoutSeconds, int nameLength, int rounds, TimeSpan dropWithin, bool closeWhileStalled = false)
    {
        await using var server = await VotingTestServer.StartAsync(kind, settings: new Dictionary<string, string?>
        {
            ["Live:MaxQueuedMessages"] = maxQueued.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Live:SendTimeoutSeconds"] = sendTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        // Two contestants with very long names: every PERFORMANCE state change carries both.
        var e = await server.Api.CreateEpisodeAsync(contestants: 0);
        var performers = new List<long>();
        for (var i = 1; i <= 2; i++)
        {
            performers.Add(await server.Api.CreateAsync("/api/v1/admin/contestants", new { name = $"Singer {i} " + new string('x', nameLength) }));
            await server.Api.AddToLineupAsync(e.EpisodeId, performers[^1], i);
        }
        var hub = server.Services.GetRequiredService<LiveHub>();
        var episode = new Domain.EpisodeId(e.EpisodeId);
        var signals = new Signals(server.Client, TimeProvider.System);
        using var stalled = await StalledWebSocketAsync(server.Address, e.EpisodeId);
        await using var ws = await LiveWatcher.WebSocketAsync(server.Address, e.EpisodeId);
        await using var sse = await LiveWatcher.SseAsync(server.Address, e.EpisodeId);
        foreach (var w in new[] { ws, sse }) await w.NextAsync("LIVE_RESULTS");
        Assert.Equal(3, hub.SubscriberCount(episode));

        // Megabytes of state changes: far more than the stalled socket's buffers hold.
        var answered = new List<long>();
        await signals.OkAsync("SHOW_START", new { episode_id = e.EpisodeId });
        answered.Add(Stopwatch.GetTimestamp());
        for (var i = 0; i < rounds; i++)
        {
            await signals.OkAsync("PERFORMANCE_START", new { episode_id = e.EpisodeId, contestant_id = performers[i % 2], song_name = $"Song {i}" });
            answered.Add(Stopwatch.GetTimestamp());
            await signals.OkAsync("PERFORMANCE_END", new { episode_id = e.EpisodeId });
            answered.Add(Stopwatch.GetTimestamp());
        }
        if (closeWhileStalled)
        {
            // Not dropped yet: the close frame must end the stream, not the send timeout.
            Assert.Equal(3, hub.SubscriberCount(episode));
            // A masked close frame with no payload: the server reads it while its send to us is stuck.
            await stalled.SendAsync(new byte[] { 0x88, 0x80, 0x12, 0x34, 0x56, 0x78 });
        }

        foreach (var w in new[] { ws, sse })
        {
            var updates = new List<PushMessage>();
            while (updates.Count < answered.Count) updates.Add(await w.NextAsync("STATE_UPDATE"));
            var late = updates.Select((m, i) => Stopwatch.GetElapsedTime(answered[i], m.ArrivedAt)).Max();
            Assert.True(late < TimeSpan.FromSeconds(1), $"a healthy client got a state change {late} after it was made");
            Assert.Equal("SHOW_STARTED", updates[^1].State);
        }
        var deadline = answered[^1] + (long)(dropWithin.TotalSeconds * Stopwatch.Frequency);
        while (hub.SubscriberCount(episode) > 2 && Stopwatch.GetTimestamp() < deadline) await Task.Delay(50);
        Assert.Equal(2, hub.SubscriberCount(episode));
        // The server gave up on the stalled socket: once its buffers drain, the stream ends.
        var buffer = new byte[64 * 1024];
        using var cut = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var ended = false;
        try
        {
            while (!ended) ended = await stalled.ReceiveAsync(buffer, SocketFlags.None, cut.Token) == 0;
        }
        catch (SocketException)
        {
            ended = true;
        }
        Assert.True(ended);
    }

    [Fact]
    public async Task StoppingTheServerEndsEveryStreamCleanly()
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var server = await VotingTestServer.StartAsync(kind, database: db);
        var e = await server.Api.OpenEpisodeAsync();
        var ws = await LiveWatcher.WebSocketAsync(server.Address, e.EpisodeId);
        var sse = await LiveWatcher.SseAsync(server.Address, e.EpisodeId);
        await ws.NextAsync("LIVE_RESULTS");
        await sse.NextAsync("LIVE_RESULTS");

        var stopping = Stopwatch.StartNew();
        await server.StopAsync();
        await Task.WhenAll(ws.Ended, sse.Ended).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("EndpointUnavailable", ws.EndedWith);
        Assert.Equal("eof", sse.EndedWith);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"stopping took {stopping.Elapsed}");
        await ws.DisposeAsync();
        await sse.DisposeAsync();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task SigtermSendsEveryWebSocketACloseFrame()
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var server = await ServerProcess.StartAsync(db);
        var e = await server.Api.OpenEpisodeAsync();
        await using var ws = await LiveWatcher.WebSocketAsync(server.Address, e.EpisodeId);
        await ws.NextAsync("LIVE_RESULTS");

        await server.TerminateAsync();
        await ws.Ended.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("EndpointUnavailable", ws.EndedWith);
    }
}

public sealed class SqliteChannelTests() : ChannelTests(StoreKind.Sqlite);

public sealed class PostgresChannelTests() : ChannelTests(StoreKind.Postgres);
