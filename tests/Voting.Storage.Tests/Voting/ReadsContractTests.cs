using Voting.Domain;
using Voting.Domain.Voting;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.Voting;

/// <summary>Results, counters and history read back what the batches committed.</summary>
public abstract class ReadsContractTests(StoreKind kind) : VotingStoreContractTests(kind)
{
    [Fact]
    public async Task ResultsSumEveryShardByContestantTypeAndHour()
    {
        var show = await OpenShowAsync(window: TimeSpan.FromHours(3));
        var (alice, bob) = (await SignInWithPaidVotesAsync(10), await SignInAsync());
        var otherNode = NewStore(tallyShard: 7);

        await CommitAsync(Vote(alice, show.Contestants[0], VoteType.Paid, 4), Vote(bob, show.Contestants[0], count: 2));
        Clock.Advance(TimeSpan.FromHours(1));
        await otherNode.CommitVotesAsync([Vote(alice, show.Contestants[0], VoteType.Paid, 3), Vote(bob, show.Contestants[1], count: 1)], Ct);

        var results = await Store.GetResultsAsync(show.Episode, Ct);
        var first = Assert.Single(results.Contestants, c => c.Contestant == show.Contestants[0]);
        Assert.Equal(9, first.Votes);
        Assert.Equal(7, first.ByType[VoteType.Paid]);
        Assert.Equal(2, first.ByType[VoteType.Free]);
        Assert.Equal(1, Assert.Single(results.Contestants, c => c.Contestant == show.Contestants[1]).Votes);
        Assert.Equal([(ShowNight, 6L), (ShowNight.AddHours(1), 4L)], results.ByHour.Select(h => (h.Hour, h.Votes)));
        Assert.Equal(2, results.UniqueVoters);
        Assert.Equal(2, await Database.CountAsync("SELECT COUNT(DISTINCT shard) FROM tallies WHERE episode_id = $1", show.Episode.Value));
        Assert.True((await Store.AuditEpisodeAsync(show.Episode, Ct)).Consistent);
    }

    [Fact]
    public async Task TheVoterSummaryCountsThisEpisodeOnly()
    {
        var show = await OpenShowAsync();
        var voter = await SignInWithPaidVotesAsync(10);
        await CommitAsync(Vote(voter, show.Contestants[0], count: 3), Vote(voter, show.Contestants[1], VoteType.Paid, 4));

        var summary = await SummaryAsync(voter, show.Episode);
        var elsewhere = await SummaryAsync(voter, new EpisodeId(987_654));

        Assert.Equal((6L, 3L, 4L, 7L), (summary.VoteBalance, summary.FreeVotesUsed, summary.PaidVotesCast, summary.VotesCast));
        Assert.Equal((6L, 0L, 0L, 0L), (elsewhere.VoteBalance, elsewhere.FreeVotesUsed, elsewhere.PaidVotesCast, elsewhere.VotesCast));
    }

    [Fact]
    public async Task HistoryPagesTheVotersOwnVotesNewestFirst()
    {
        var show = await OpenShowAsync();
        var (voter, other) = (await SignInAsync(), await SignInAsync());
        for (var i = 0; i < 5; i++)
        {
            await CommitAsync(Vote(voter, show.Contestants[i % 3]), Vote(other, show.Contestants[0]));
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await Store.GetHistoryAsync(voter, 1, 2, Ct);
        var last = await Store.GetHistoryAsync(voter, 3, 2, Ct);

        Assert.Equal(5, first.TotalCount);
        Assert.Equal([show.Contestants[1], show.Contestants[0]], first.Rows.Select(r => r.Contestant));
        Assert.Equal([ShowNight.AddSeconds(4), ShowNight.AddSeconds(3)], first.Rows.Select(r => r.CreatedAt));
        var oldest = Assert.Single(last.Rows);
        Assert.Equal((show.Episode, "Episode 1", 1, "Singer 1.1", VoteType.Free, 1),
            (oldest.Episode, oldest.EpisodeTitle, oldest.EpisodeNumber, oldest.ContestantName, oldest.Type, oldest.Count));
    }
}

public sealed class SqliteReadsContractTests() : ReadsContractTests(StoreKind.Sqlite);

public sealed class PostgresReadsContractTests() : ReadsContractTests(StoreKind.Postgres);
