using System.Globalization;
using System.Net;
using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Voting;

/// <summary>Results and the current episode agree with the ledger and with sums worked out by hand.</summary>
public abstract class ResultsTests(StoreKind kind)
{
    // A stopped clock: every vote lands in the same hour bucket, whenever the test runs.
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    /// <summary>
    /// Five contestants k[0..4] created in that order but given ballot numbers 5..1, so ballot
    /// order is not id order. Votes: k0 5, k1 3, k2 5, k3 2, k4 0 (15 in all: free 7, paid 3,
    /// bundle 3, sms 2) from three voters.
    /// </summary>
    private sealed record KnownVotes(long EpisodeId, long[] K);

    private static async Task<KnownVotes> CastKnownVotesAsync(ApiDriver api)
    {
        var e = await api.CreateEpisodeAsync(contestants: 0);
        var k = new long[5];
        for (var i = 0; i < k.Length; i++)
        {
            k[i] = await api.CreateAsync("/api/v1/admin/contestants", new { name = $"Singer {i}", khmer_name = $"អ្នកចម្រៀង {i}", photo_url = $"https://example.test/{i}.jpg" });
            await api.AddToLineupAsync(e.EpisodeId, k[i], ballotNumber: 5 - i);
        }
        await api.OpenAsync(e.EpisodeId);

        var v1 = await api.SignInAsync();
        await api.VoteOkAsync(v1.Token, k[0], "free", 3);
        await api.VoteOkAsync(v1.Token, k[2], "free", 2);

        var v2 = await api.SignInAsync();
        await api.CreditAsync(v2.UserId, 10);
        await api.VoteOkAsync(v2.Token, k[3], "free");
        await api.VoteOkAsync(v2.Token, k[3], "free");
        await api.VoteOkAsync(v2.Token, k[1], "paid", 3);

        var v3 = await api.SignInAsync();
        await api.GrantBundleAsync(v3.UserId, 4);
        await api.VoteOkAsync(v3.Token, k[0], "bundle", 2);
        await api.VoteOkAsync(v3.Token, k[2], "bundle");
        await api.VoteOkAsync(v3.Token, k[2], "sms", 2);
        return new KnownVotes(e.EpisodeId, k);
    }

    [Fact]
    public async Task ResultsRankByVotesThenLowerBallotNumberWithTwoDecimalPercentages()
    {
        await using var server = await VotingTestServer.StartAsync(kind, time: new ManualClock(Start));
        var api = server.Api;
        var known = await CastKnownVotesAsync(api);
        var k = known.K;

        // No token: results are public.
        var (status, text) = await api.GetTextAsync($"/api/v1/xfactor/voting/results/{known.EpisodeId}");

        Assert.Equal(HttpStatusCode.OK, status);
        var data = JsonDocument.Parse(text).RootElement.GetProperty("data");
        (long Id, long Votes, decimal Percentage, int Ballot)[] expected =
        [
            (k[2], 5, 33.33m, 3), // ties with k0 on 5 votes; the lower ballot number goes first
            (k[0], 5, 33.33m, 5),
            (k[1], 3, 20.00m, 4),
            (k[3], 2, 13.33m, 2),
            (k[4], 0, 0.00m, 1),
        ];
        var rows = data.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(expected.Length, rows.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var (id, votes, percentage, ballot) = expected[i];
            Assert.Equal(id, rows[i].GetProperty("contestant_id").GetInt64());
            Assert.Equal(votes, rows[i].GetProperty("votes").GetInt64());
            Assert.Equal(percentage, rows[i].GetProperty("percentage").GetDecimal());
            Assert.Equal(i + 1, rows[i].GetProperty("rank").GetInt32());
            var index = 5 - ballot;
            Assert.Equal($"Singer {index}", rows[i].GetProperty("name").GetString());
            Assert.Equal($"អ្នកចម្រៀង {index}", rows[i].GetProperty("khmer_name").GetString());
            Assert.Equal($"https://example.test/{index}.jpg", rows[i].GetProperty("photo_url").GetString());
        }
        // Two decimals as written on the wire, not just as parsed.
        Assert.Contains("\"percentage\":33.33", text, StringComparison.Ordinal);
        Assert.Contains("\"percentage\":20.00", text, StringComparison.Ordinal);
        Assert.Contains("\"percentage\":13.33", text, StringComparison.Ordinal);
        Assert.Contains("\"percentage\":0.00", text, StringComparison.Ordinal);

        var episode = data.GetProperty("episode");
        Assert.Equal(known.EpisodeId, episode.GetProperty("id").GetInt64());
        Assert.True(episode.GetProperty("voting_active").GetBoolean());
        Assert.Equal(15, episode.GetProperty("total_votes").GetInt64());
    }

    [Fact]
    public async Task TheVoteBreakdownSumsEachTypeTheHourAndTheVotersAndAgreesWithTheAudit()
    {
        await using var server = await VotingTestServer.StartAsync(kind, time: new ManualClock(Start));
        var api = server.Api;
        var known = await CastKnownVotesAsync(api);

        var results = await api.ResultsAsync(known.EpisodeId);
        var audit = await api.AuditAsync(known.EpisodeId);

        var breakdown = results.GetProperty("vote_breakdown");
        Assert.Equal(15, breakdown.GetProperty("total_votes").GetInt64());
        Assert.Equal(3, breakdown.GetProperty("unique_voters").GetInt64());
        var byType = breakdown.GetProperty("by_type");
        Assert.Equal(7, byType.GetProperty("free").GetInt64());
        Assert.Equal(3, byType.GetProperty("paid").GetInt64());
        Assert.Equal(3, byType.GetProperty("bundle").GetInt64());
        Assert.Equal(2, byType.GetProperty("sms").GetInt64());
        var hour = Assert.Single(breakdown.GetProperty("by_hour").EnumerateArray());
        Assert.Equal(15, hour.GetProperty("votes").GetInt64());
        var bucket = new DateTimeOffset(Start.Year, Start.Month, Start.Day, Start.Hour, 0, 0, TimeSpan.Zero);
        Assert.Equal(bucket, DateTimeOffset.Parse(hour.GetProperty("hour").GetString()!, CultureInfo.InvariantCulture));

        Assert.True(audit.GetProperty("consistent").GetBoolean());
        Assert.Equal(15, audit.GetProperty("ledger_votes").GetInt64());
        Assert.Equal(15, audit.GetProperty("tally_votes").GetInt64());
        Assert.Equal(8, audit.GetProperty("vote_rows").GetInt64());
        Assert.Equal(audit.GetProperty("ledger_votes").GetInt64(), results.GetProperty("episode").GetProperty("total_votes").GetInt64());
        var ledgerByContestant = audit.GetProperty("by_contestant").EnumerateArray()
            .ToDictionary(c => c.GetProperty("contestant_id").GetInt64(), c => c.GetProperty("ledger_votes").GetInt64());
        foreach (var row in results.GetProperty("results").EnumerateArray())
            Assert.Equal(ledgerByContestant.GetValueOrDefault(row.GetProperty("contestant_id").GetInt64()), row.GetProperty("votes").GetInt64());
    }

    [Theory]
    [InlineData("999999")]
    [InlineData("0")]
    [InlineData("abc")]
    public async Task ResultsOfAnUnknownEpisodeAreNotFound(string episode)
    {
        await using var server = await VotingTestServer.StartAsync(kind);

        var answer = await server.Api.GetAsync($"/api/v1/xfactor/voting/results/{episode}");

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("EPISODE_NOT_FOUND", answer.ErrorCode);
        Assert.False(answer.Body.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task CurrentEpisodeShowsTalliesAndTheSignedInVotersStatus()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var e = await api.OpenEpisodeAsync(contestants: 3);
        var voter = await api.SignInAsync();
        await api.CreditAsync(voter.UserId, 10);
        await api.VoteOkAsync(voter.Token, e.Contestants[0], "free", 2);
        await api.VoteOkAsync(voter.Token, e.Contestants[1], "paid", 3);
        var other = await api.SignInAsync();
        await api.VoteOkAsync(other.Token, e.Contestants[2], "free");
        var newcomer = await api.SignInAsync();

        var (status, text) = await api.GetTextAsync("/api/v1/xfactor/voting/current_episode", voter.Token);
        var fresh = await api.GetAsync("/api/v1/xfactor/voting/current_episode", newcomer.Token);

        Assert.Equal(HttpStatusCode.OK, status);
        var data = JsonDocument.Parse(text).RootElement.GetProperty("data");
        var episode = data.GetProperty("episode");
        Assert.Equal(e.EpisodeId, episode.GetProperty("id").GetInt64());
        Assert.True(episode.GetProperty("voting_active").GetBoolean());
        Assert.Equal(6, episode.GetProperty("total_votes").GetInt64());
        var contestants = data.GetProperty("contestants").EnumerateArray().ToList();
        Assert.Equal(e.Contestants, contestants.Select(c => c.GetProperty("id").GetInt64()));
        Assert.Equal([1, 2, 3], contestants.Select(c => c.GetProperty("ballot_number").GetInt32()));
        Assert.Equal([2L, 3L, 1L], contestants.Select(c => c.GetProperty("votes").GetInt64()));
        Assert.Equal([33.33m, 50.00m, 16.67m], contestants.Select(c => c.GetProperty("percentage").GetDecimal()));
        Assert.Contains("\"percentage\":50.00", text, StringComparison.Ordinal);
        Assert.All(contestants, c => Assert.Equal("active", c.GetProperty("status").GetString()));

        AssertStatus(data.GetProperty("user_voting_status"), hasVoted: true, freeUsed: 2, freeRemaining: 3, paid: 3, total: 5, balance: 7);
        Assert.Equal(HttpStatusCode.OK, fresh.Status);
        AssertStatus(fresh.Data.GetProperty("user_voting_status"), hasVoted: false, freeUsed: 0, freeRemaining: 5, paid: 0, total: 0, balance: 0);
    }

    private static void AssertStatus(JsonElement s, bool hasVoted, long freeUsed, long freeRemaining, long paid, long total, long balance)
    {
        Assert.Equal(hasVoted, s.GetProperty("has_voted").GetBoolean());
        Assert.Equal(freeUsed, s.GetProperty("free_votes_used").GetInt64());
        Assert.Equal(freeRemaining, s.GetProperty("free_votes_remaining").GetInt64());
        Assert.Equal(paid, s.GetProperty("paid_votes_cast").GetInt64());
        Assert.Equal(total, s.GetProperty("total_votes_cast").GetInt64());
        Assert.Equal(balance, s.GetProperty("vote_balance").GetInt64());
    }

    [Fact]
    public async Task CurrentEpisodeWithoutAnOpenEpisodeIsNotFoundAndNamesTheNextIdleEpisode()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;

        var empty = await api.GetAsync("/api/v1/xfactor/voting/current_episode");
        var idle = await api.CreateEpisodeAsync();
        var waiting = await api.GetAsync("/api/v1/xfactor/voting/current_episode");
        await api.OpenAsync(idle.EpisodeId);
        var open = await api.GetAsync("/api/v1/xfactor/voting/current_episode");
        var close = await api.PostAsync($"/api/v1/admin/episodes/{idle.EpisodeId}/voting/close", new { }, admin: true);
        var closed = await api.GetAsync("/api/v1/xfactor/voting/current_episode");

        AssertNoActiveEpisode(empty);
        Assert.Equal(JsonValueKind.Null, empty.Body.GetProperty("next_episode").ValueKind);
        AssertNoActiveEpisode(waiting);
        Assert.Equal(idle.EpisodeId, waiting.Body.GetProperty("next_episode").GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.OK, open.Status);
        Assert.Equal(idle.EpisodeId, open.Data.GetProperty("episode").GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.OK, close.Status);
        AssertNoActiveEpisode(closed);
        Assert.Equal(JsonValueKind.Null, closed.Body.GetProperty("next_episode").ValueKind);
    }

    private static void AssertNoActiveEpisode(ApiAnswer a)
    {
        Assert.Equal(HttpStatusCode.NotFound, a.Status);
        Assert.False(a.Body.GetProperty("success").GetBoolean());
        Assert.Equal("NO_ACTIVE_EPISODE", a.ErrorCode);
        Assert.Equal("No active voting episode", a.Body.GetProperty("error").GetString());
        Assert.Equal(["No active voting episode"], a.Body.GetProperty("errors").EnumerateArray().Select(x => x.GetString()));
    }
}

public sealed class SqliteResultsTests() : ResultsTests(StoreKind.Sqlite);

public sealed class PostgresResultsTests() : ResultsTests(StoreKind.Postgres);
