using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.LiveShow;

/// <summary>Show control by the operator's key: the signal's events, state machine and answers, pushed to viewers the same way.</summary>
public abstract class OperatorShowTests(StoreKind kind)
{
    private static string PathOf(long episode) => $"/api/v1/admin/episodes/{episode}/show";

    private static Task<ApiAnswer> SendAsync(ApiDriver api, long episode, object body, bool admin = true) =>
        api.SendAsync(HttpMethod.Post, PathOf(episode), JsonSerializer.Serialize(body), admin: admin);

    [Fact]
    public async Task AnOperatorsShowEventsReachAWebSocketWatcherAsASignalsWould()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var e = await api.CreateEpisodeAsync();
        await using var ws = await LiveWatcher.WebSocketAsync(server.Address, e.EpisodeId);
        Assert.Equal("IDLE", (await ws.NextAsync("STATE_UPDATE")).State);
        await ws.NextAsync("LIVE_RESULTS");

        // A window's event comes before its STATE_UPDATE, as for a signal.
        async Task<(PushMessage State, PushMessage? Event)> StepAsync(object body, string state, string? eventType = null)
        {
            var answer = await SendAsync(api, e.EpisodeId, body);
            Assert.True(answer.Code == 200, $"{answer.Code} {answer.Body}");
            Assert.Equal(state, answer.Data.GetProperty("state").GetString());
            var pushedEvent = eventType is null ? null : await ws.NextAsync(eventType);
            var pushed = await ws.NextAsync("STATE_UPDATE");
            // The answer's data is the STATE_UPDATE the viewers got, as for a signal.
            Assert.Equal(answer.Data.GetRawText(), pushed.Data.GetRawText());
            return (pushed, pushedEvent);
        }

        await StepAsync(new { @event = "SHOW_START" }, "SHOW_STARTED");
        var (performing, _) = await StepAsync(new { @event = "PERFORMANCE_START", contestant_id = e.Contestants[1], song_name = " Champa Battambang " }, "PERFORMANCE");
        await StepAsync(new { @event = "PERFORMANCE_END" }, "SHOW_STARTED");
        var (_, opened) = await StepAsync(new { @event = "VOTING_OPEN", duration = 600 }, "VOTING_OPEN", "VOTING_OPEN");
        var (_, closed) = await StepAsync(new { @event = "VOTING_CLOSE" }, "VOTING_CLOSED", "VOTING_CLOSED");

        Assert.Equal(
            $"{{\"contestant_id\":{e.Contestants[1]},\"name\":\"Contestant 2\",\"song_name\":\"Champa Battambang\",\"ballot_number\":2,\"photo_url\":null}}",
            performing.Data.GetProperty("performer").GetRawText());
        Assert.Equal(600, opened!.Remaining);
        Assert.Equal("operator", closed!.Data.GetProperty("reason").GetString());
        Assert.Equal("RESULTS_READY", (await ws.NextAsync(m => m.Type == "STATE_UPDATE" && m.State == "RESULTS_READY")).State);
        Assert.Equal("RESULTS_READY", (await api.GetAsync($"/api/v1/xfactor/show/{e.EpisodeId}")).Data.GetProperty("state").GetString());
        Assert.Equal(200, (await SendAsync(api, e.EpisodeId, new { @event = "SHOW_END" })).Code);
    }

    [Fact]
    public async Task IllegalOrMalformedEventsAreRefusedAsSignalsAreAndChangeNothing()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var e = await api.CreateEpisodeAsync();
        var other = await api.CreateEpisodeAsync(contestants: 1, episodeNumber: 2, seasonId: e.SeasonId);
        var outsider = await api.CreateAsync("/api/v1/admin/contestants", new { name = "Not in the line-up" });
        await api.OpenAsync(other.EpisodeId);
        var transitions = await server.Database.CountRowsAsync("show_transitions");
        var before = (await api.GetAsync($"/api/v1/xfactor/show/{e.EpisodeId}")).Data.GetRawText();

        var refused = new List<(string What, ApiAnswer Answer, int Status, string Code)>
        {
            ("no key", await SendAsync(api, e.EpisodeId, new { @event = "SHOW_START" }, admin: false), 401, "UNAUTHORIZED"),
            ("performance before the show", await SendAsync(api, e.EpisodeId, new { @event = "PERFORMANCE_START", contestant_id = e.Contestants[0] }), 409, "INVALID_TRANSITION"),
            ("close idle", await SendAsync(api, e.EpisodeId, new { @event = "VOTING_CLOSE" }), 409, "INVALID_TRANSITION"),
            ("another episode open", await SendAsync(api, e.EpisodeId, new { @event = "VOTING_OPEN" }), 409, "VOTING_ALREADY_OPEN"),
            ("unknown event", await SendAsync(api, e.EpisodeId, new { @event = "SHOW_PAUSE" }), 400, "INVALID_REQUEST"),
            ("no event", await SendAsync(api, e.EpisodeId, new { contestant_id = 1 }), 400, "INVALID_REQUEST"),
            ("event as number", await SendAsync(api, e.EpisodeId, new { @event = 3 }), 400, "INVALID_REQUEST"),
            ("no contestant", await SendAsync(api, e.EpisodeId, new { @event = "PERFORMANCE_START" }), 400, "INVALID_REQUEST"),
            ("contestant as text", await SendAsync(api, e.EpisodeId, new { @event = "PERFORMANCE_START", contestant_id = "2" }), 400, "INVALID_REQUEST"),
            ("zero contestant", await SendAsync(api, e.EpisodeId, new { @event = "PERFORMANCE_START", contestant_id = 0 }), 400, "INVALID_REQUEST"),
            ("long song", await SendAsync(api, e.EpisodeId, new { @event = "PERFORMANCE_START", contestant_id = e.Contestants[0], song_name = new string('a', 201) }), 400, "INVALID_REQUEST"),
            ("long window", await SendAsync(api, e.EpisodeId, new { @event = "VOTING_OPEN", duration = 86_401 }), 400, "INVALID_REQUEST"),
            ("zero window", await SendAsync(api, e.EpisodeId, new { @event = "VOTING_OPEN", duration = 0 }), 400, "INVALID_REQUEST"),
            ("not json", await api.SendAsync(HttpMethod.Post, PathOf(e.EpisodeId), "{not json", admin: true), 400, "INVALID_REQUEST"),
            ("unknown episode", await SendAsync(api, 987_654, new { @event = "SHOW_START" }), 404, "EPISODE_NOT_FOUND"),
            ("episode not a number", await api.SendAsync(HttpMethod.Post, "/api/v1/admin/episodes/abc/show", """{"event":"SHOW_START"}""", admin: true), 404, "EPISODE_NOT_FOUND"),
        };

        Assert.All(refused, r => Assert.True(r.Answer.Code == r.Status && r.Answer.ErrorCode == r.Code,
            $"{r.What}: expected {r.Status} {r.Code}, got {r.Answer.Code} {r.Answer.ErrorCode} {r.Answer.Body}"));
        Assert.All(refused, r => ApiAssert.Error(r.Answer, r.Status, r.Code));
        Assert.Equal(before, (await api.GetAsync($"/api/v1/xfactor/show/{e.EpisodeId}")).Data.GetRawText());
        Assert.Equal(transitions, await server.Database.CountRowsAsync("show_transitions"));

        // A contestant outside the line-up: refused once the show has started, and the show stays as it was.
        Assert.Equal(200, (await SendAsync(api, e.EpisodeId, new { @event = "SHOW_START" })).Code);
        var started = (await api.GetAsync($"/api/v1/xfactor/show/{e.EpisodeId}")).Data.GetRawText();
        ApiAssert.Error(await SendAsync(api, e.EpisodeId, new { @event = "PERFORMANCE_START", contestant_id = outsider }), 422, "INVALID_CONTESTANT");
        Assert.Equal(started, (await api.GetAsync($"/api/v1/xfactor/show/{e.EpisodeId}")).Data.GetRawText());
    }
}

public sealed class SqliteOperatorShowTests() : OperatorShowTests(StoreKind.Sqlite);

public sealed class PostgresOperatorShowTests() : OperatorShowTests(StoreKind.Postgres);
