using System.Net;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Voting;

/// <summary>The limits hold under concurrent requests: nothing is counted twice or spent twice.</summary>
public abstract class ConcurrencyTests(StoreKind kind)
{
    [Fact]
    public async Task TwoHundredConcurrentFreeVotesFromOneVoterCountExactlyFive()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var episode = await api.OpenEpisodeAsync();
        var voter = await api.SignInAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => api.VoteAsync(voter.Token, episode.Contestants[0])));

        Assert.Equal(5, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), a =>
            Assert.True(a is { Code: 422, ErrorCode: "FREE_VOTE_LIMIT_EXCEEDED" } or { Code: 429, ErrorCode: "RATE_LIMITED" },
                $"unexpected {a.Code} {a.ErrorCode}"));
        Assert.Equal(5, answers.Where(a => a.Status == HttpStatusCode.OK).Select(a => a.Data.GetProperty("vote_id").GetInt64()).Distinct().Count());
        var audit = await api.AuditAsync(episode.EpisodeId);
        Assert.True(audit.GetProperty("consistent").GetBoolean());
        Assert.Equal(5, audit.GetProperty("ledger_votes").GetInt64());
        Assert.Equal(5, audit.GetProperty("tally_votes").GetInt64());
    }

    [Fact]
    public async Task NinetyConcurrentPaidVotesSpendAThirtyVoteWalletExactlyOnce()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var episode = await api.OpenEpisodeAsync();
        var voter = await api.SignInAsync();
        await api.CreditAsync(voter.UserId, 30);

        var answers = await Task.WhenAll(Enumerable.Range(0, 90).Select(i => api.VoteAsync(voter.Token, episode.Contestants[i % 3], "paid")));

        Assert.Equal(30, answers.Count(a => a.Status == HttpStatusCode.OK));
        Assert.All(answers.Where(a => a.Status != HttpStatusCode.OK), a => Assert.Equal("INSUFFICIENT_VOTE_BALANCE", a.ErrorCode));
        var balance = await api.GetAsync("/api/v1/xfactor/voting/vote_balance", voter.Token);
        Assert.Equal(0, balance.Data.GetProperty("balance").GetInt64());
        var audit = await api.AuditAsync(episode.EpisodeId);
        Assert.True(audit.GetProperty("consistent").GetBoolean());
        Assert.Equal(30, audit.GetProperty("ledger_votes").GetInt64());
    }

    [Fact]
    public async Task TheSameIdempotencyKeyTwentyTimesConcurrentlyAndInSequenceCountsOneVote()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var episode = await api.OpenEpisodeAsync();
        var voter = await api.SignInAsync();
        await api.CreditAsync(voter.UserId, 100);

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => api.VoteAsync(voter.Token, episode.Contestants[1], "paid", 2, key: "key-1")));
        var sequential = new List<ApiAnswer>();
        for (var i = 0; i < 20; i++) sequential.Add(await api.VoteAsync(voter.Token, episode.Contestants[1], "paid", 2, key: "key-1"));

        var all = concurrent.Concat(sequential).ToList();
        Assert.All(all, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Single(all.Select(a => a.Data.GetProperty("vote_id").GetInt64()).Distinct());
        var audit = await api.AuditAsync(episode.EpisodeId);
        Assert.Equal(2, audit.GetProperty("ledger_votes").GetInt64());
        Assert.Equal(1, audit.GetProperty("vote_rows").GetInt64());
        var balance = await api.GetAsync("/api/v1/xfactor/voting/vote_balance", voter.Token);
        Assert.Equal(98, balance.Data.GetProperty("balance").GetInt64());

        var reused = await api.VoteAsync(voter.Token, episode.Contestants[2], "paid", 2, key: "key-1");
        Assert.Equal(HttpStatusCode.Conflict, reused.Status);
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", reused.ErrorCode);
        Assert.Equal(2, (await api.AuditAsync(episode.EpisodeId)).GetProperty("ledger_votes").GetInt64());
    }

    [Fact]
    public async Task ManyVotersVotingAtOnceLeaveTalliesEqualToTheLedger()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var episode = await api.OpenEpisodeAsync(contestants: 4);
        var voters = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => api.SignInAsync()));
        foreach (var v in voters) await api.CreditAsync(v.UserId, 10);

        var answers = await Task.WhenAll(voters.SelectMany((v, i) => Enumerable.Range(0, 8).Select(j =>
            api.VoteAsync(v.Token, episode.Contestants[(i + j) % 4], j % 2 == 0 ? "free" : "paid", 1 + (j % 3)))));

        var accepted = answers.Where(a => a.Status == HttpStatusCode.OK).ToList();
        var audit = await api.AuditAsync(episode.EpisodeId);
        Assert.True(audit.GetProperty("consistent").GetBoolean());
        Assert.Equal(accepted.Count, audit.GetProperty("vote_rows").GetInt64());
        var results = await api.ResultsAsync(episode.EpisodeId);
        Assert.Equal(audit.GetProperty("ledger_votes").GetInt64(), results.GetProperty("vote_breakdown").GetProperty("total_votes").GetInt64());
        Assert.Equal(40, results.GetProperty("vote_breakdown").GetProperty("unique_voters").GetInt64());
    }
}

public sealed class SqliteConcurrencyTests() : ConcurrencyTests(StoreKind.Sqlite);

public sealed class PostgresConcurrencyTests() : ConcurrencyTests(StoreKind.Postgres);
