using System.Globalization;
using System.Net;
using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Voting;

/// <summary>Free, paid, bundle and app-SMS votes: what each draws from, earns and leaves behind.</summary>
public abstract class VoteKindsTests(StoreKind kind)
{
    [Theory]
    [InlineData("free", 3, 6)]
    [InlineData("paid", 3, 9)]
    [InlineData("paid", 1, 3)]
    [InlineData("bundle", 2, 4)]
    [InlineData("sms", 1, 2)]
    public async Task LoyaltyPointsAreTwoPerVoteAndHalfAgainForPaidVotesRoundedDown(string type, int count, int points)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var e = await api.OpenEpisodeAsync();
        var voter = await api.SignInAsync();
        await api.CreditAsync(voter.UserId, 10);
        await api.GrantBundleAsync(voter.UserId, 10);

        var vote = await api.VoteOkAsync(voter.Token, e.Contestants[0], type, count);

        Assert.Equal(points, vote.GetProperty("user_status").GetProperty("loyalty_points_earned").GetInt32());
    }

    [Fact]
    public async Task BundleVotesDrawFromTheGrantedBundleAndAreRefusedPastIt()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var e = await api.OpenEpisodeAsync();
        var voter = await api.SignInAsync();
        var without = await api.VoteAsync(voter.Token, e.Contestants[0], "bundle");
        await api.GrantBundleAsync(voter.UserId, 3);

        await api.VoteOkAsync(voter.Token, e.Contestants[0], "bundle", 2);
        var tooMany = await api.VoteAsync(voter.Token, e.Contestants[0], "bundle", 2);
        await api.VoteOkAsync(voter.Token, e.Contestants[1], "bundle");
        var empty = await api.VoteAsync(voter.Token, e.Contestants[1], "bundle");

        Assert.Equal((422, "INSUFFICIENT_BUNDLE_VOTES"), (without.Code, without.ErrorCode));
        Assert.Equal((422, "INSUFFICIENT_BUNDLE_VOTES"), (tooMany.Code, tooMany.ErrorCode));
        Assert.Equal((422, "INSUFFICIENT_BUNDLE_VOTES"), (empty.Code, empty.ErrorCode));
        var results = await api.ResultsAsync(e.EpisodeId);
        Assert.Equal(3, results.GetProperty("vote_breakdown").GetProperty("by_type").GetProperty("bundle").GetInt64());
        var audit = await api.AuditAsync(e.EpisodeId);
        Assert.Equal(3, audit.GetProperty("ledger_votes").GetInt64());
        Assert.True(audit.GetProperty("consistent").GetBoolean());
    }

    [Fact]
    public async Task SmsVotesFromTheAppCountAgainstTheDailyLimitOfFifty()
    {
        // A stopped clock, so the Phnom Penh day cannot turn over (and reset the limit) mid-test.
        await using var server = await VotingTestServer.StartAsync(kind, time: new ManualClock(DateTimeOffset.UtcNow));
        var api = server.Api;
        var e = await api.OpenEpisodeAsync();
        var voter = await api.SignInAsync();

        var available = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var vote = await api.VoteOkAsync(voter.Token, e.Contestants[i % 2], "sms", 10);
            available.Add(vote.GetProperty("user_status").GetProperty("votes_remaining").GetProperty("sms_votes_available").GetInt64());
        }
        var fiftyFirst = await api.VoteAsync(voter.Token, e.Contestants[2], "sms");

        Assert.Equal([40L, 30L, 20L, 10L, 0L], available);
        Assert.Equal((422, "SMS_LIMIT_EXCEEDED"), (fiftyFirst.Code, fiftyFirst.ErrorCode));
        var results = await api.ResultsAsync(e.EpisodeId);
        var byType = results.GetProperty("vote_breakdown").GetProperty("by_type");
        Assert.Equal(50, byType.GetProperty("sms").GetInt64());
        Assert.Equal(0, byType.GetProperty("free").GetInt64() + byType.GetProperty("paid").GetInt64() + byType.GetProperty("bundle").GetInt64());
        var history = await api.GetAsync("/api/v1/xfactor/voting/history", voter.Token);
        Assert.All(history.Data.GetProperty("votes").EnumerateArray(), v => Assert.Equal("sms", v.GetProperty("vote_type").GetString()));
        Assert.Equal(50, (await api.AuditAsync(e.EpisodeId)).GetProperty("ledger_votes").GetInt64());
    }

    [Fact]
    public async Task TheCastVoteAnswerCarriesTheContestantsCurrentTally()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var e = await api.OpenEpisodeAsync();
        var first = await api.SignInAsync();
        var second = await api.SignInAsync();
        await api.CreditAsync(second.UserId, 10);

        var a = await api.VoteOkAsync(first.Token, e.Contestants[0], "free", 2);
        var b = await api.VoteOkAsync(second.Token, e.Contestants[0], "paid", 4);
        var c = await api.VoteOkAsync(second.Token, e.Contestants[1], "free");

        Assert.Equal([2L, 6L, 1L], new[] { a, b, c }.Select(v => v.GetProperty("contestant").GetProperty("current_votes").GetInt64()));
        Assert.Equal(e.Contestants[0], b.GetProperty("contestant").GetProperty("id").GetInt64());
        Assert.Equal("Contestant 1", b.GetProperty("contestant").GetProperty("name").GetString());
        var status = b.GetProperty("user_status");
        Assert.Equal(6, status.GetProperty("vote_balance").GetInt64());
        Assert.Equal(6, status.GetProperty("votes_remaining").GetProperty("vote_balance").GetInt64());
        Assert.Equal(5, status.GetProperty("votes_remaining").GetProperty("free_votes").GetInt64());
        var tallies = (await api.ResultsAsync(e.EpisodeId)).GetProperty("results").EnumerateArray()
            .ToDictionary(r => r.GetProperty("contestant_id").GetInt64(), r => r.GetProperty("votes").GetInt64());
        Assert.Equal(6, tallies[e.Contestants[0]]);
        Assert.Equal(1, tallies[e.Contestants[1]]);
    }

    [Fact]
    public async Task HistoryListsTheVotersOwnVotesNewestFirstTwentyToAPage()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var e = await api.OpenEpisodeAsync();
        var voter = await api.SignInAsync();
        var other = await api.SignInAsync();
        await api.CreditAsync(voter.UserId, 40);
        var ids = new List<long>();
        for (var i = 0; i < 25; i++)
            ids.Add((await api.VoteOkAsync(voter.Token, e.Contestants[i % 3], "paid", 1 + (i % 2))).GetProperty("vote_id").GetInt64());
        await api.VoteOkAsync(other.Token, e.Contestants[0]);

        var page1 = await api.GetAsync("/api/v1/xfactor/voting/history?page=1", voter.Token);
        var page2 = await api.GetAsync("/api/v1/xfactor/voting/history?page=2", voter.Token);
        var unpaged = await api.GetAsync("/api/v1/xfactor/voting/history", voter.Token);

        Assert.Equal(HttpStatusCode.OK, page1.Status);
        Assert.Equal(HttpStatusCode.OK, page2.Status);
        var rows = page1.Data.GetProperty("votes").EnumerateArray().Concat(page2.Data.GetProperty("votes").EnumerateArray()).ToList();
        Assert.Equal(20, page1.Data.GetProperty("votes").GetArrayLength());
        Assert.Equal(Enumerable.Reverse(ids), rows.Select(r => r.GetProperty("id").GetInt64()));
        AssertPagination(page1.Data, page: 1);
        AssertPagination(page2.Data, page: 2);
        Assert.Equal(page1.Data.GetProperty("votes").ToString(), unpaged.Data.GetProperty("votes").ToString());

        var newest = rows[0];
        Assert.Equal(e.Contestants[24 % 3], newest.GetProperty("contestant").GetProperty("id").GetInt64());
        Assert.Equal(e.EpisodeId, newest.GetProperty("episode").GetProperty("id").GetInt64());
        Assert.Equal("paid", newest.GetProperty("vote_type").GetString());
        Assert.Equal(1, newest.GetProperty("vote_count").GetInt32());
        Assert.Equal(2, rows[1].GetProperty("vote_count").GetInt32());
        var created = DateTimeOffset.Parse(newest.GetProperty("created_at").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(created, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    private static void AssertPagination(JsonElement data, int page)
    {
        var p = data.GetProperty("pagination");
        Assert.Equal(page, p.GetProperty("current_page").GetInt32());
        Assert.Equal(2, p.GetProperty("total_pages").GetInt32());
        Assert.Equal(25, p.GetProperty("total_count").GetInt32());
        Assert.Equal(20, p.GetProperty("per_page").GetInt32());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    public async Task HistoryRefusesAPageThatIsNotAPositiveInteger(string page)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var voter = await server.Api.SignInAsync();

        var answer = await server.Api.GetAsync($"/api/v1/xfactor/voting/history?page={page}", voter.Token);

        Assert.Equal((400, "INVALID_REQUEST"), (answer.Code, answer.ErrorCode));
    }

    [Fact]
    public async Task VoteBalanceShowsTheBalanceAndTheOperatorsCredits()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var e = await api.OpenEpisodeAsync();
        var voter = await api.SignInAsync();
        var first = await api.PostAsync($"/api/v1/admin/users/{voter.UserId}/vote_credits", new { amount = 20, reason = "support ticket 17" }, admin: true);
        var second = await api.PostAsync($"/api/v1/admin/users/{voter.UserId}/vote_credits", new { amount = 5, reason = "promo" }, admin: true);
        await api.VoteOkAsync(voter.Token, e.Contestants[0], "paid", 3);

        var balance = await api.GetAsync("/api/v1/xfactor/voting/vote_balance", voter.Token);

        Assert.Equal(20, first.Data.GetProperty("balance").GetInt64());
        Assert.Equal(25, second.Data.GetProperty("balance").GetInt64());
        Assert.Equal(HttpStatusCode.OK, balance.Status);
        Assert.Equal(22, balance.Data.GetProperty("balance").GetInt64());
        Assert.Equal(0, balance.Data.GetProperty("pending_votes").GetInt64());
        Assert.Empty(balance.Data.GetProperty("recent_purchases").EnumerateArray());
        var purchases = balance.Data.GetProperty("recent_credits").EnumerateArray().ToList();
        Assert.Equal([5L, 20L], purchases.Select(p => p.GetProperty("votes").GetInt64()));
        Assert.Equal(["promo", "support ticket 17"], purchases.Select(p => p.GetProperty("reason").GetString()));
        Assert.Equal(JsonValueKind.Array, balance.Data.GetProperty("available_packages").ValueKind);
    }
}

public sealed class SqliteVoteKindsTests() : VoteKindsTests(StoreKind.Sqlite);

public sealed class PostgresVoteKindsTests() : VoteKindsTests(StoreKind.Postgres);
