using System.Globalization;
using System.Net;
using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Voting;

/// <summary>The voting window follows the server's clock, moved here by hand.</summary>
public abstract class VotingWindowTests(StoreKind kind)
{
    // Whole seconds, so times read back from the store (milliseconds) compare exactly.
    private static DateTimeOffset Now() => DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    private static DateTimeOffset Time(JsonElement e, string name) =>
        DateTimeOffset.Parse(e.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task AVoteInsideTheWindowCountsAndOneAfterItsEndIsRefusedWithoutATrace()
    {
        var start = Now();
        var clock = new ManualClock(start);
        await using var server = await VotingTestServer.StartAsync(kind, time: clock);
        var api = server.Api;
        var e = await api.OpenEpisodeAsync(durationSeconds: 60);
        var voter = await api.SignInAsync();
        await api.CreditAsync(voter.UserId, 10);

        clock.Advance(TimeSpan.FromSeconds(30));
        await api.VoteOkAsync(voter.Token, e.Contestants[0], "paid", 2);
        var before = await api.AuditAsync(e.EpisodeId);
        clock.Advance(TimeSpan.FromSeconds(31));
        var late = await api.VoteAsync(voter.Token, e.Contestants[0], "paid", 2);
        var lateExplicit = await api.VoteAsync(voter.Token, e.Contestants[1], "free", episode: e.EpisodeId);
        var after = await api.AuditAsync(e.EpisodeId);

        Assert.Equal((422, "VOTING_CLOSED"), (late.Code, late.ErrorCode));
        Assert.Equal((422, "VOTING_CLOSED"), (lateExplicit.Code, lateExplicit.ErrorCode));
        Assert.Equal(2, before.GetProperty("ledger_votes").GetInt64());
        foreach (var field in new[] { "ledger_votes", "tally_votes", "vote_rows", "digest" })
            Assert.Equal(before.GetProperty(field).ToString(), after.GetProperty(field).ToString());
        var balance = await api.GetAsync("/api/v1/xfactor/voting/vote_balance", voter.Token);
        Assert.Equal(8, balance.Data.GetProperty("balance").GetInt64());
        var history = await api.GetAsync("/api/v1/xfactor/voting/history", voter.Token);
        var only = Assert.Single(history.Data.GetProperty("votes").EnumerateArray());
        Assert.Equal(start.AddSeconds(30), Time(only, "created_at"));
    }

    [Fact]
    public async Task TimeRemainingInCurrentEpisodeFollowsTheServerClock()
    {
        var start = Now();
        var clock = new ManualClock(start);
        await using var server = await VotingTestServer.StartAsync(kind, time: clock);
        var api = server.Api;
        var e = await api.CreateEpisodeAsync();
        var open = await api.PostAsync($"/api/v1/admin/episodes/{e.EpisodeId}/voting/open", new { duration_seconds = 60 }, admin: true);

        var remaining = new List<long>();
        foreach (var step in new[] { 0, 30_000, 29_500 })
        {
            clock.Advance(TimeSpan.FromMilliseconds(step));
            var current = await api.GetAsync("/api/v1/xfactor/voting/current_episode");
            Assert.Equal(HttpStatusCode.OK, current.Status);
            var episode = current.Data.GetProperty("episode");
            Assert.True(episode.GetProperty("voting_active").GetBoolean());
            Assert.Equal(start, Time(episode, "voting_start"));
            Assert.Equal(start.AddSeconds(60), Time(episode, "voting_end"));
            remaining.Add(episode.GetProperty("time_remaining_seconds").GetInt64());
        }
        clock.Advance(TimeSpan.FromMilliseconds(1_500));
        var over = await api.GetAsync("/api/v1/xfactor/voting/current_episode");

        Assert.Equal(HttpStatusCode.OK, open.Status);
        Assert.Equal(start, Time(open.Data, "voting_start"));
        Assert.Equal(start.AddSeconds(60), Time(open.Data, "voting_end"));
        Assert.Equal([60L, 30L, 1L], remaining);
        Assert.Equal((404, "NO_ACTIVE_EPISODE"), (over.Code, over.ErrorCode));
        var results = await api.ResultsAsync(e.EpisodeId);
        Assert.False(results.GetProperty("episode").GetProperty("voting_active").GetBoolean());
    }

    [Fact]
    public async Task VotesWithoutAnEpisodeIdGoToTheOpenEpisodeAndAClosedEpisodeRefusesVotes()
    {
        var clock = new ManualClock(Now());
        await using var server = await VotingTestServer.StartAsync(kind, time: clock);
        var api = server.Api;
        var first = await api.CreateEpisodeAsync(contestants: 2, episodeNumber: 1);
        var second = await api.CreateEpisodeAsync(contestants: 0, episodeNumber: 2, seasonId: first.SeasonId);
        for (var i = 0; i < first.Contestants.Count; i++) await api.AddToLineupAsync(second.EpisodeId, first.Contestants[i], i + 1);
        var voter = await api.SignInAsync();
        var star = first.Contestants[0];

        await api.OpenAsync(first.EpisodeId, durationSeconds: 60);
        await api.VoteOkAsync(voter.Token, star);
        clock.Advance(TimeSpan.FromSeconds(61));
        await api.OpenAsync(second.EpisodeId, durationSeconds: 600);
        await api.VoteOkAsync(voter.Token, star, count: 2);
        var toFirst = await api.VoteAsync(voter.Token, star, episode: first.EpisodeId);
        await api.VoteOkAsync(voter.Token, star, count: 3, episode: second.EpisodeId);
        var close = await api.PostAsync($"/api/v1/admin/episodes/{second.EpisodeId}/voting/close", new { }, admin: true);
        var toClosedSecond = await api.VoteAsync(voter.Token, star, episode: second.EpisodeId);

        Assert.Equal((422, "VOTING_CLOSED"), (toFirst.Code, toFirst.ErrorCode));
        Assert.Equal(HttpStatusCode.OK, close.Status);
        Assert.Equal((422, "VOTING_CLOSED"), (toClosedSecond.Code, toClosedSecond.ErrorCode));
        var firstAudit = await api.AuditAsync(first.EpisodeId);
        var secondAudit = await api.AuditAsync(second.EpisodeId);
        Assert.Equal(1, firstAudit.GetProperty("ledger_votes").GetInt64());
        Assert.Equal(5, secondAudit.GetProperty("ledger_votes").GetInt64());
        Assert.True(firstAudit.GetProperty("consistent").GetBoolean());
        Assert.True(secondAudit.GetProperty("consistent").GetBoolean());
        Assert.Equal(5, (await api.ResultsAsync(second.EpisodeId)).GetProperty("episode").GetProperty("total_votes").GetInt64());
    }
}

public sealed class SqliteVotingWindowTests() : VotingWindowTests(StoreKind.Sqlite);

public sealed class PostgresVotingWindowTests() : VotingWindowTests(StoreKind.Postgres);
