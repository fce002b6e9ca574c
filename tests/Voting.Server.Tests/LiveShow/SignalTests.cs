using System.Diagnostics;
using System.Net;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.LiveShow;

/// <summary>The control room's signals: only signed, fresh and legal ones move the show, and viewers hear of them at once.</summary>
public abstract class SignalTests(StoreKind kind)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1);

    private static async Task<string> ShowTextAsync(VotingTestServer server, long episode)
    {
        var (status, text) = await server.Api.GetTextAsync($"/api/v1/xfactor/show/{episode}");
        Assert.Equal(HttpStatusCode.OK, status);
        return text;
    }

    [Fact]
    public async Task ABadSignatureAnOldTimestampOrAnIllegalTransitionIsRefusedAndChangesNothing()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var e = await server.Api.CreateEpisodeAsync();
        var signals = new Signals(server.Client, TimeProvider.System);
        await using var watcher = await LiveWatcher.WebSocketAsync(server.Address, e.EpisodeId);
        await watcher.NextAsync("STATE_UPDATE");
        await watcher.NextAsync("LIVE_RESULTS");
        var before = await ShowTextAsync(server, e.EpisodeId);
        var body = Signals.Body("SHOW_START", new { episode_id = e.EpisodeId }, DateTimeOffset.UtcNow);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var good = signals.Sign(body);

        var refused = new List<(string What, ApiAnswer Answer, int Status, string Code)>
        {
            ("no header", await signals.PostRawAsync(body, null), 401, "INVALID_SIGNATURE"),
            ("wrong secret", await signals.PostRawAsync(body, signals.Sign(body, key: "not-the-secret")), 401, "INVALID_SIGNATURE"),
            ("truncated", await signals.PostRawAsync(body, good[..^2]), 401, "INVALID_SIGNATURE"),
            ("no time", await signals.PostRawAsync(body, good[good.IndexOf("v1=", StringComparison.Ordinal)..]), 401, "INVALID_SIGNATURE"),
            ("time changed", await signals.PostRawAsync(body, good.Replace($"t={now}", $"t={now - 1}", StringComparison.Ordinal)), 401, "INVALID_SIGNATURE"),
            ("body changed", await signals.PostRawAsync(body.Replace("SHOW_START", "SHOW_END", StringComparison.Ordinal), good), 401, "INVALID_SIGNATURE"),
            ("garbage", await signals.PostRawAsync(body, "t=abc,v1=zz"), 401, "INVALID_SIGNATURE"),
            // Past the 300 s window by two seconds of the clock read as sent: the server compares whole
            // seconds, so one second of margin could be eaten by a second boundary or a slow request.
            ("302 s old", await signals.PostRawAsync(body, signals.Sign(body, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 302)), 401, "SIGNATURE_EXPIRED"),
            ("302 s ahead", await signals.PostRawAsync(body, signals.Sign(body, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 302)), 401, "SIGNATURE_EXPIRED"),
            ("illegal", await signals.SendAsync("PERFORMANCE_START", new { episode_id = e.EpisodeId, contestant_id = e.Contestants[0] }), 409, "INVALID_TRANSITION"),
            ("close idle", await signals.SendAsync("VOTING_CLOSE", new { episode_id = e.EpisodeId }), 409, "INVALID_TRANSITION"),
            ("end idle", await signals.SendAsync("SHOW_END", new { episode_id = e.EpisodeId }), 409, "INVALID_TRANSITION"),
            ("unknown event", await signals.SendAsync("SHOW_PAUSE", new { episode_id = e.EpisodeId }), 400, "INVALID_REQUEST"),
            ("no episode", await signals.SendAsync("SHOW_START", new { }), 400, "INVALID_REQUEST"),
            ("episode as text", await signals.SendAsync("SHOW_START", new { episode_id = "1" }), 400, "INVALID_REQUEST"),
            ("unknown episode", await signals.SendAsync("SHOW_START", new { episode_id = 987_654 }), 404, "EPISODE_NOT_FOUND"),
            ("long window", await signals.SendAsync("VOTING_OPEN", new { episode_id = e.EpisodeId, duration = 86_401 }), 400, "INVALID_REQUEST"),
            ("not json", await signals.SendBodyAsync("{not json"), 400, "INVALID_REQUEST"),
            ("no timestamp", await signals.SendBodyAsync($"{{\"event\":\"SHOW_START\",\"data\":{{\"episode_id\":{e.EpisodeId}}}}}"), 400, "INVALID_REQUEST"),
        };

        Assert.All(refused, r => Assert.True(r.Answer.Code == r.Status && r.Answer.ErrorCode == r.Code,
            $"{r.What}: expected {r.Status} {r.Code}, got {r.Answer.Code} {r.Answer.ErrorCode} {r.Answer.Body}"));
        Assert.All(refused, r => ApiAssert.Error(r.Answer, r.Status, r.Code));
        Assert.Equal(before, await ShowTextAsync(server, e.EpisodeId));
        Assert.Equal(0, await server.Database.CountRowsAsync("show_transitions"));
        Assert.Equal(0, await server.Database.CountRowsAsync("broadcast_signals"));
        // Nothing was pushed for them: the next message a viewer gets is the good signal's.
        await signals.OkAsync("SHOW_START", new { episode_id = e.EpisodeId });
        Assert.Equal("SHOW_STARTED", (await watcher.NextAsync()).State);
    }

    [Fact]
    public async Task AGoodSignalReachesAWebSocketAndAnSseClientWithinASecond()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var e = await server.Api.CreateEpisodeAsync();
        var signals = new Signals(server.Client, TimeProvider.System);
        await using var ws = await LiveWatcher.WebSocketAsync(server.Address, e.EpisodeId);
        await using var sse = await LiveWatcher.SseAsync(server.Address, e.EpisodeId);
        foreach (var w in new[] { ws, sse })
        {
            Assert.Equal("IDLE", (await w.NextAsync()).State);
            Assert.Equal("LIVE_RESULTS", (await w.NextAsync()).Type);
        }

        async Task<(long Answered, PushMessage Ws, PushMessage Sse)> SendAsync(string @event, object data, string type)
        {
            var answer = await signals.OkAsync(@event, data);
            var answered = Stopwatch.GetTimestamp();
            var (a, b) = (await ws.NextAsync(type), await sse.NextAsync(type));
            Assert.True(Stopwatch.GetElapsedTime(answered, a.ArrivedAt) < Deadline, $"{type} reached the WebSocket late");
            Assert.True(Stopwatch.GetElapsedTime(answered, b.ArrivedAt) < Deadline, $"{type} reached the SSE stream late");
            // One serialization: the very same JSON on both channels.
            Assert.Equal(a.Raw, b.Raw);
            if (type == "STATE_UPDATE") Assert.Equal(answer.GetRawText(), a.Data.GetRawText());
            return (answered, a, b);
        }

        var started = await SendAsync("SHOW_START", new { episode_id = e.EpisodeId }, "STATE_UPDATE");
        var performing = await SendAsync("PERFORMANCE_START", new { episode_id = e.EpisodeId, contestant_id = e.Contestants[1], song_name = "Champa Battambang" },
            "STATE_UPDATE");
        await SendAsync("PERFORMANCE_END", new { episode_id = e.EpisodeId }, "STATE_UPDATE");
        var opened = await SendAsync("VOTING_OPEN", new { episode_id = e.EpisodeId, duration = 600 }, "VOTING_OPEN");
        var openState = await ws.NextAsync("STATE_UPDATE");
        var closed = await SendAsync("VOTING_CLOSE", new { episode_id = e.EpisodeId }, "VOTING_CLOSED");

        Assert.Equal("SHOW_STARTED", started.Ws.State);
        Assert.Equal(
            $"{{\"contestant_id\":{e.Contestants[1]},\"name\":\"Contestant 2\",\"song_name\":\"Champa Battambang\",\"ballot_number\":2,\"photo_url\":null}}",
            performing.Ws.Data.GetProperty("performer").GetRawText());
        Assert.Equal(JsonValueKindNull, performing.Ws.Data.GetProperty("voting").ValueKind);
        Assert.Equal($"{{\"id\":{e.EpisodeId},\"title\":\"Live 1\"}}", started.Ws.Data.GetProperty("episode").GetRawText());
        var open = opened.Ws.Data;
        Assert.Equal(600, open.GetProperty("remaining").GetInt64());
        Assert.Equal(e.Contestants, open.GetProperty("contestants").EnumerateArray().Select(c => c.GetProperty("contestant_id").GetInt64()));
        Assert.Equal(["contestant_id", "name", "ballot_number", "photo_url"],
            open.GetProperty("contestants")[0].EnumerateObject().Select(p => p.Name));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", open.GetProperty("closes_at").GetString());
        Assert.Equal("VOTING_OPEN", openState.State);
        Assert.Equal(open.GetProperty("closes_at").GetString(), openState.Data.GetProperty("voting").GetProperty("closes_at").GetString());
        Assert.Equal("signal", closed.Ws.Data.GetProperty("reason").GetString());
        // The close freezes the results: RESULTS_READY with the audit digest follows on its own.
        var ready = await ws.NextAsync("RESULTS_READY");
        var audit = await server.Api.AuditAsync(e.EpisodeId);
        Assert.Equal(audit.GetProperty("digest").GetString(), ready.Data.GetProperty("audit").GetProperty("digest").GetString());
        Assert.Equal("RESULTS_READY", (await sse.NextAsync(m => m.Type == "STATE_UPDATE" && m.State == "RESULTS_READY")).State);
        var seqs = ws.Messages.Select(m => m.Seq).ToList();
        Assert.Equal(seqs.Order(), seqs);
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
        // Past each connection's own opening pair, both channels carried the same broadcasts.
        var broadcasts = ws.Messages.Skip(2).Select(m => m.Raw).ToList();
        Assert.Equal(broadcasts, sse.Messages.Skip(2).Select(m => m.Raw).Take(broadcasts.Count));
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    [Fact]
    public async Task ADuplicateSignalIsAppliedOnceAndAnsweredAsTheFirstTime()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var e = await server.Api.CreateEpisodeAsync();
        var signals = new Signals(server.Client, TimeProvider.System);
        var body = Signals.Body("VOTING_OPEN", new { episode_id = e.EpisodeId, duration = 300 }, DateTimeOffset.UtcNow);
        var signature = signals.Sign(body);

        var first = await signals.PostRawAsync(body, signature);
        await Task.Delay(1100); // a later answer would show a smaller "remaining"
        var again = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => signals.PostRawAsync(body, signature)));
        var resigned = await signals.PostRawAsync(body, signals.Sign(body, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 2));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.All(again, a => Assert.Equal((first.Status, first.Body.GetRawText()), (a.Status, a.Body.GetRawText())));
        ApiAssert.Error(resigned, 409, "VOTING_ALREADY_OPEN");
        Assert.Equal(1, await server.Database.CountRowsAsync("show_transitions"));
    }

    [Fact]
    public async Task OutsideDevelopmentWithoutASigningSecretEverySignalIsRefused()
    {
        // Development generates a secret (DevelopmentStartTests); elsewhere none is made up.
        await using var server = await VotingTestServer.StartAsync(kind, settings: new Dictionary<string, string?> { ["Broadcast:SigningSecret"] = "" },
            environment: "Staging");
        var e = await server.Api.CreateEpisodeAsync();
        var signals = new Signals(server.Client, TimeProvider.System, secret: "");

        var answer = await signals.SendAsync("SHOW_START", new { episode_id = e.EpisodeId });

        ApiAssert.Error(answer, 503, "SIGNALS_DISABLED");
        Assert.Equal(0, await server.Database.CountRowsAsync("show_transitions"));
    }

    [Fact]
    public async Task TheShowCanBeReadByAnyoneAndAnUnknownEpisodeIsNotFound()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var e = await server.Api.CreateEpisodeAsync();
        var signals = new Signals(server.Client, TimeProvider.System);
        await signals.OkAsync("SHOW_START", new { episode_id = e.EpisodeId });
        var performing = await signals.OkAsync("PERFORMANCE_START", new { episode_id = e.EpisodeId, contestant_id = e.Contestants[0] });

        var read = await server.Api.GetAsync($"/api/v1/xfactor/show/{e.EpisodeId}");

        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.True(read.Body.GetProperty("success").GetBoolean());
        Assert.Equal(performing.GetRawText(), read.Data.GetRawText());
        Assert.Equal(["state", "episode", "performer", "voting"], read.Data.EnumerateObject().Select(p => p.Name));
        ApiAssert.Error(await server.Api.GetAsync("/api/v1/xfactor/show/987654"), 404, "EPISODE_NOT_FOUND");
        ApiAssert.Error(await server.Api.GetAsync("/api/v1/xfactor/show/x"), 404, "EPISODE_NOT_FOUND");
        var stranger = await signals.SendAsync("PERFORMANCE_START", new { episode_id = e.EpisodeId, contestant_id = 987_654 });
        ApiAssert.Error(stranger, 422, "INVALID_CONTESTANT");
    }
}

public sealed class SqliteSignalTests() : SignalTests(StoreKind.Sqlite);

public sealed class PostgresSignalTests() : SignalTests(StoreKind.Postgres);
