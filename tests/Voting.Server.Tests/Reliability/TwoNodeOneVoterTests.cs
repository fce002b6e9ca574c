using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Reliability;

/// <summary>
/// Two server processes on one PostgreSQL, one voter's requests split across both at once:
/// the wallet and the free votes are spent exactly to their limits, and one Idempotency-Key sent
/// to both nodes at once is one vote, answered alike by both.
/// </summary>
public sealed class TwoNodeOneVoterTests
{
    private const int Credit = 40;

    private static Dictionary<string, string> Node(int shard) => new(CrashCampaign.Settings())
    {
        ["Storage__TallyShard"] = shard.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task ConcurrentPaidAndFreeVotesOfOneVoterOnTwoNodesSpendExactlyTheLimits()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Postgres);
        await using var a = await ServerProcess.StartAsync(db, Node(1));
        await using var b = await ServerProcess.StartAsync(db, Node(2));
        var episode = await a.Api.OpenEpisodeAsync();
        var voter = await a.Api.SignInAsync();
        await a.Api.CreditAsync(voter.UserId, Credit);

        var attempts = Enumerable.Range(0, 80).Select(i => (Node: i % 2 == 0 ? a : b, Type: i % 4 < 2 ? "paid" : "free", Contestant: episode.Contestants[i % 3])).ToList();
        var answers = await Task.WhenAll(attempts.Select(t => t.Node.Api.VoteAsync(voter.Token, t.Contestant, t.Type)));

        Assert.All(answers, x => Assert.True(x.Code is 200 or 422, $"unexpected {x.Code} {x.ErrorCode}"));
        var accepted = attempts.Zip(answers).Where(p => p.Second.Code == 200).ToList();
        Assert.Equal(Credit, accepted.Count(p => p.First.Type == "paid"));
        Assert.Equal(5, accepted.Count(p => p.First.Type == "free"));
        Assert.Contains(accepted, p => p.First.Node == a);
        Assert.Contains(accepted, p => p.First.Node == b);
        Assert.Equal(0, (await b.Api.BalanceAsync(voter.Token)).GetProperty("balance").GetInt64());
        Assert.Equal(5, await db.CountAsync("SELECT free_used FROM voter_episode WHERE voter_id = $1", voter.UserId));
        await AssertConsistentAsync(a, b, episode);
    }

    [Fact]
    public async Task OneIdempotencyKeySentToBothNodesAtOnceIsOneVote()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Postgres);
        await using var a = await ServerProcess.StartAsync(db, Node(1));
        await using var b = await ServerProcess.StartAsync(db, Node(2));
        var episode = await a.Api.OpenEpisodeAsync();
        var voter = await a.Api.SignInAsync();
        await a.Api.CreditAsync(voter.UserId, Credit);
        var keys = Enumerable.Range(0, 30).Select(i => $"both-{i}").ToList();

        var pairs = await Task.WhenAll(keys.Select(async (key, i) =>
        {
            var type = i % 6 == 0 ? "free" : "paid";
            var both = await Task.WhenAll(
                a.Api.VoteAsync(voter.Token, episode.Contestants[i % 3], type, key: key),
                b.Api.VoteAsync(voter.Token, episode.Contestants[i % 3], type, key: key));
            return (Key: key, A: both[0], B: both[1]);
        }));

        foreach (var (key, onA, onB) in pairs)
        {
            Assert.True(onA.Code == 200 && onB.Code == 200, $"{key}: {onA.Code} {onA.ErrorCode} / {onB.Code} {onB.ErrorCode}");
            Assert.Equal(onA.Data.GetProperty("vote_id").GetInt64(), onB.Data.GetProperty("vote_id").GetInt64());
        }
        Assert.Equal(keys.Count, await db.CountAsync("SELECT COUNT(*) FROM votes WHERE voter_id = $1", voter.UserId));
        Assert.Equal(Credit - 25, (await a.Api.BalanceAsync(voter.Token)).GetProperty("balance").GetInt64());
        Assert.Equal(5, await db.CountAsync("SELECT free_used FROM voter_episode WHERE voter_id = $1", voter.UserId));
        await AssertConsistentAsync(a, b, episode);
    }

    private static async Task AssertConsistentAsync(ServerProcess a, ServerProcess b, TestEpisode episode)
    {
        foreach (var node in new[] { a, b })
        {
            var audit = await node.Api.AuditAsync(episode.EpisodeId);
            Assert.True(audit.GetProperty("consistent").GetBoolean());
            Assert.True(audit.GetProperty("voter_counters_consistent").GetBoolean());
            Assert.True((await node.Api.GetAsync("/api/v1/admin/audit/wallets", admin: true)).Data.GetProperty("consistent").GetBoolean());
        }
    }
}
