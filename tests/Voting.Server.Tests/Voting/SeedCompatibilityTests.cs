using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Voting;

/// <summary>The seed's shapes and behaviours the mobile app relies on.</summary>
public abstract class SeedCompatibilityTests(StoreKind kind)
{
    [Fact]
    public async Task CurrentEpisodeHasTheSeedsCountdownPerformanceAndMediaFieldsAndKhmerAsWritten()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var e = await server.Api.OpenEpisodeAsync(contestants: 2, durationSeconds: 3_725);

        var (_, text) = await server.Api.GetTextAsync("/api/v1/xfactor/voting/current_episode");
        var data = JsonDocument.Parse(text).RootElement.GetProperty("data");

        var episode = data.GetProperty("episode");
        var seconds = episode.GetProperty("time_remaining_seconds").GetInt64();
        Assert.InRange(seconds, 3_700, 3_725);
        var countdown = episode.GetProperty("time_remaining");
        Assert.Equal(seconds, countdown.GetProperty("total_seconds").GetInt64());
        Assert.Equal(seconds, countdown.GetProperty("days").GetInt64() * 86_400 + countdown.GetProperty("hours").GetInt64() * 3_600
            + countdown.GetProperty("minutes").GetInt64() * 60 + countdown.GetProperty("seconds").GetInt64());
        Assert.Equal((0L, 1L), (countdown.GetProperty("days").GetInt64(), countdown.GetProperty("hours").GetInt64()));
        Assert.Equal(JsonValueKind.Null, episode.GetProperty("thumbnail_url").ValueKind);
        Assert.Equal(JsonValueKind.Null, episode.GetProperty("video_url").ValueKind);
        var second = data.GetProperty("contestants").EnumerateArray().Single(c => c.GetProperty("id").GetInt64() == e.Contestants[1]);
        var performance = second.GetProperty("performance");
        Assert.Equal(2, performance.GetProperty("performance_order").GetInt32());
        Assert.True(performance.TryGetProperty("song_performed", out _));
        Assert.Equal(JsonValueKind.Null, performance.GetProperty("judges_score").ValueKind);
        Assert.Equal(JsonValueKind.Null, performance.GetProperty("performance_video_url").ValueKind);
        Assert.Contains("បេក្ខជន 2", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u17", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWebSocketAnswersRequestUpdateWithTheCurrentState()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var e = await server.Api.OpenEpisodeAsync(contestants: 2);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{server.Address.Authority}/ws/voting?episode_id={e.EpisodeId}"), CancellationToken.None);
        Assert.Equal(["STATE_UPDATE", "LIVE_RESULTS"], [await NextTypeAsync(socket), await NextTypeAsync(socket)]);

        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"type":"request_update"}"""), WebSocketMessageType.Text, true, CancellationToken.None);

        Assert.Equal(["STATE_UPDATE", "LIVE_RESULTS"], [await NextTypeAsync(socket), await NextTypeAsync(socket)]);
        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"type":"something_else"}"""), WebSocketMessageType.Text, true, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes(new string('x', 1000)), WebSocketMessageType.Text, true, CancellationToken.None);
        await socket.SendAsync(Encoding.UTF8.GetBytes("""{"type":"request_update"}"""), WebSocketMessageType.Text, true, CancellationToken.None);
        Assert.Equal("STATE_UPDATE", await NextTypeAsync(socket));
    }

    private static async Task<string> NextTypeAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            var r = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            length += r.Count;
            if (r.EndOfMessage) break;
        }
        var type = JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.GetProperty("type").GetString()!;
        // Results move on their own once a second; only the answers to what was sent matter here.
        return type is "TIME_UPDATE" or "vote_update" ? await NextTypeAsync(socket) : type;
    }
}

public sealed class SqliteSeedCompatibilityTests() : SeedCompatibilityTests(StoreKind.Sqlite);

public sealed class PostgresSeedCompatibilityTests() : SeedCompatibilityTests(StoreKind.Postgres);
