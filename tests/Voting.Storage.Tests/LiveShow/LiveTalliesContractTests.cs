using Voting.Domain;
using Voting.Domain.Results;
using Voting.Domain.Voting;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.LiveShow;

/// <summary>What the live results read: tallies, votes per minute and the newest vote stamp, kept with the ledger.</summary>
public abstract class LiveTalliesContractTests(StoreKind kind) : VotingStoreContractTests(kind)
{
    private static long Minute(DateTimeOffset t) => TrendWindows.MinuteOf(t);

    [Fact]
    public async Task VotesAreCountedPerMinuteBesideTheTalliesAndTheNewestStampIsTheSnapshotTime()
    {
        var show = await OpenShowAsync(window: TimeSpan.FromHours(2));
        var (a, b) = (await SignInWithPaidVotesAsync(100), await SignInWithPaidVotesAsync(100));
        var (ana, ben) = (show.Contestants[0], show.Contestants[1]);
        await CommitAsync(Vote(a, ana, VoteType.Paid, 3), Vote(b, ana, VoteType.Paid, 4), Vote(b, ben, VoteType.Paid, 1));
        Clock.Advance(TimeSpan.FromSeconds(61));
        await CommitAsync(Vote(a, ben, VoteType.Paid, 10));
        Clock.Advance(TimeSpan.FromSeconds(2));
        var stamp = Clock.GetUtcNow();
        await CommitAsync(Vote(a, ben, VoteType.Paid, 5), Vote(b, ana, count: 2));
        // A second node writes its own shard of the same minute.
        var node2 = NewStore(tallyShard: 7);
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.IsType<VoteAccepted>((await node2.CommitVotesAsync([Vote(b, ana, VoteType.Paid, 20)], Ct))[0]);

        var live = await Store.GetLiveTalliesAsync(show.Episode, Minute(ShowNight), Ct);
        var later = await Store.GetLiveTalliesAsync(show.Episode, Minute(ShowNight) + 1, Ct);

        Assert.Equal(new Dictionary<ContestantId, long> { [ana] = 29, [ben] = 16 }, live.Totals);
        Assert.Equal(
            [new MinuteVotes(ana, Minute(ShowNight), 7), new MinuteVotes(ben, Minute(ShowNight), 1),
             new MinuteVotes(ana, Minute(ShowNight) + 1, 22), new MinuteVotes(ben, Minute(ShowNight) + 1, 15)],
            live.Minutes.OrderBy(m => m.Minute).ThenBy(m => m.Contestant.Value));
        Assert.Equal(stamp.AddSeconds(1), live.AsOf);
        Assert.All(later.Minutes, m => Assert.Equal(Minute(ShowNight) + 1, m.Minute));
        Assert.Equal(later.Totals, live.Totals);
        Assert.True((await Store.AuditEpisodeAsync(show.Episode, Ct)).TalliesConsistent);
    }

    [Fact]
    public async Task AnEpisodeWithoutVotesHasNoStampAndEmptyTallies()
    {
        var show = await OpenShowAsync();

        var live = await Store.GetLiveTalliesAsync(show.Episode, 0, Ct);

        Assert.Equal((0, 0, (DateTimeOffset?)null), (live.Totals.Count, live.Minutes.Count, live.AsOf));
    }

    [Fact]
    public async Task TheAuditNoticesAMinuteTallyThatDisagreesWithTheLedger()
    {
        var show = await OpenShowAsync();
        var voter = await SignInAsync();
        await CommitAsync(Vote(voter, show.Contestants[0], count: 3));
        Assert.True((await Store.AuditEpisodeAsync(show.Episode, Ct)).Consistent);

        await Database.ExecuteAsync("UPDATE minute_tallies SET votes = votes + 1 WHERE episode_id = $1", show.Episode.Value);

        Assert.False((await Store.AuditEpisodeAsync(show.Episode, Ct)).TalliesConsistent);
    }

    [Fact]
    public async Task RecentVotesComeNewestFirstWithTheVotersNameOrPhone()
    {
        var show = await OpenShowAsync();
        var named = await SignInAsync("012555111");
        await Database.ExecuteAsync("UPDATE voters SET display_name = 'Sophea' WHERE id = $1", named.Value);
        var plain = await SignInAsync("012555222");
        var star = show.Contestants[1];
        await CommitAsync(Vote(named, star, count: 2));
        Clock.Advance(TimeSpan.FromSeconds(5));
        await CommitAsync(Vote(plain, star), Vote(plain, show.Contestants[0], count: 3));
        Clock.Advance(TimeSpan.FromSeconds(5));
        await CommitAsync(Vote(named, star, count: 3));

        var recent = await Store.GetRecentVotesAsync(show.Episode, star, 2, Ct);
        var all = await Store.GetRecentVotesAsync(show.Episode, star, 10, Ct);

        Assert.Equal(
        [
            new RecentVote("Sophea", "012555111", 3, VoteType.Free, ShowNight.AddSeconds(10)),
            new RecentVote(null, "012555222", 1, VoteType.Free, ShowNight.AddSeconds(5)),
        ], recent);
        Assert.Equal(3, all.Count);
        Assert.Empty(await Store.GetRecentVotesAsync(show.Episode, show.Contestants[2], 10, Ct));
    }
}

public sealed class SqliteLiveTalliesContractTests() : LiveTalliesContractTests(StoreKind.Sqlite);

public sealed class PostgresLiveTalliesContractTests() : LiveTalliesContractTests(StoreKind.Postgres);
