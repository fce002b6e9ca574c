using Voting.Domain.Voting;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.Voting;

/// <summary>An idempotency key makes a retried vote count once, in the same batch or a later one.</summary>
public abstract class IdempotencyContractTests(StoreKind kind) : VotingStoreContractTests(kind)
{
    [Fact]
    public async Task TheSameKeyTwiceInOneBatchCountsOneVoteAndAnswersBothWithIt()
    {
        var show = await OpenShowAsync();
        var voter = await SignInWithPaidVotesAsync(10);
        var vote = Vote(voter, show.Contestants[0], VoteType.Paid, 2, key: "k-1");

        var outcomes = await CommitAsync(vote, vote);

        var (first, second) = (Accepted(outcomes[0]), Accepted(outcomes[1]));
        Assert.False(first.Replayed);
        Assert.True(second.Replayed);
        Assert.Equal(first.VoteId, second.VoteId);
        Assert.Equal(1, await VoteRowsAsync(show.Episode));
        Assert.Equal(2, await TallyAsync(show.Episode, show.Contestants[0]));
        Assert.Equal(8, (await SummaryAsync(voter)).VoteBalance);
    }

    [Fact]
    public async Task TheSameKeyWithAnotherRequestInOneBatchIsRefused()
    {
        var show = await OpenShowAsync();
        var voter = await SignInAsync();

        var outcomes = await CommitAsync(
            Vote(voter, show.Contestants[0], key: "k-1"),
            Vote(voter, show.Contestants[1], key: "k-1"));

        Accepted(outcomes[0]);
        AssertRefused(outcomes[1], VoteRefusal.IdempotencyKeyReused);
        Assert.Equal(1, await VoteRowsAsync(show.Episode));
        Assert.Equal(0, await TallyAsync(show.Episode, show.Contestants[1]));
    }

    [Fact]
    public async Task AKeyCommittedInAnEarlierBatchReplaysTheOriginalVote()
    {
        var show = await OpenShowAsync();
        var voter = await SignInWithPaidVotesAsync(10);
        var vote = Vote(voter, show.Contestants[2], VoteType.Paid, 3, key: "k-1");
        var original = Accepted(await CommitOneAsync(vote));
        var pointsBefore = (await SummaryAsync(voter)).LoyaltyPoints;

        var replay = Accepted(await CommitOneAsync(vote));

        Assert.True(replay.Replayed);
        Assert.Equal((original.VoteId, original.Episode, original.Contestant, original.ContestantName, original.LoyaltyPointsEarned),
            (replay.VoteId, replay.Episode, replay.Contestant, replay.ContestantName, replay.LoyaltyPointsEarned));
        Assert.Equal(3, replay.ContestantVotes);
        var summary = await SummaryAsync(voter, show.Episode);
        Assert.Equal((7L, 3L, pointsBefore), (summary.VoteBalance, summary.VotesCast, summary.LoyaltyPoints));
        Assert.Equal(1, await VoteRowsAsync(show.Episode));
    }

    [Fact]
    public async Task AKeyCommittedEarlierWithAnotherRequestIsRefused()
    {
        var show = await OpenShowAsync();
        var voter = await SignInWithPaidVotesAsync(10);
        Accepted(await CommitOneAsync(Vote(voter, show.Contestants[0], VoteType.Paid, 3, key: "k-1")));

        AssertRefused(await CommitOneAsync(Vote(voter, show.Contestants[0], VoteType.Paid, 4, key: "k-1")), VoteRefusal.IdempotencyKeyReused);
        Assert.Equal(7, (await SummaryAsync(voter)).VoteBalance);
        Assert.Equal(1, await VoteRowsAsync(show.Episode));
    }

    [Fact]
    public async Task AReplayIsAnsweredEvenAfterTheWindowClosed()
    {
        var show = await OpenShowAsync(window: TimeSpan.FromMinutes(5));
        var voter = await SignInAsync();
        var vote = Vote(voter, show.Contestants[0], key: "k-1");
        var original = Accepted(await CommitOneAsync(vote));
        Clock.Advance(TimeSpan.FromMinutes(6));

        Assert.Equal(original.VoteId, Accepted(await CommitOneAsync(vote)).VoteId);
    }

    [Fact]
    public async Task KeysBelongToOneVoter()
    {
        var show = await OpenShowAsync();
        var (alice, bob) = (await SignInAsync(), await SignInAsync());

        var outcomes = await CommitAsync(Vote(alice, show.Contestants[0], key: "k-1"), Vote(bob, show.Contestants[0], key: "k-1"));

        Assert.NotEqual(Accepted(outcomes[0]).VoteId, Accepted(outcomes[1]).VoteId);
        Assert.False(Accepted(outcomes[1]).Replayed);
        Assert.Equal(2, await TallyAsync(show.Episode, show.Contestants[0]));
    }

    [Fact]
    public async Task ARefusedKeyedVoteMayBeRetriedOnceItCanSucceed()
    {
        var show = await OpenShowAsync();
        var voter = await SignInAsync();
        var vote = Vote(voter, show.Contestants[0], VoteType.Paid, 2, key: "k-1");
        AssertRefused(await CommitOneAsync(vote), VoteRefusal.InsufficientVoteBalance, remaining: 0);
        await Store.CreditVotesAsync(voter, 2, "purchase", null, "buy-1", Ct);

        Assert.False(Accepted(await CommitOneAsync(vote)).Replayed);
        Assert.Equal(0, (await SummaryAsync(voter)).VoteBalance);
    }
}

public sealed class SqliteIdempotencyContractTests() : IdempotencyContractTests(StoreKind.Sqlite);

public sealed class PostgresIdempotencyContractTests() : IdempotencyContractTests(StoreKind.Postgres);
