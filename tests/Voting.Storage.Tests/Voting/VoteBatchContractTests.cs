using Voting.Domain;
using Voting.Domain.Voting;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.Voting;

/// <summary>A batch commits every good command and refuses each bad one on its own, for the right reason.</summary>
public abstract class VoteBatchContractTests(StoreKind kind) : VotingStoreContractTests(kind)
{
    [Fact]
    public async Task OneBadCommandRefusesOnlyItself()
    {
        var show = await OpenShowAsync();
        var (alice, bob) = (await SignInAsync(), await SignInAsync());

        var outcomes = await CommitAsync(
            Vote(alice, show.Contestants[0]),
            Vote(alice, new ContestantId(987_654)),
            Vote(bob, show.Contestants[1], VoteType.Paid),
            Vote(new VoterId(987_654), show.Contestants[1]),
            Vote(bob, show.Contestants[1], count: 2));

        Assert.Equal(show.Contestants[0], Accepted(outcomes[0]).Contestant);
        AssertRefused(outcomes[1], VoteRefusal.ContestantNotFound);
        AssertRefused(outcomes[2], VoteRefusal.InsufficientVoteBalance, remaining: 0);
        AssertRefused(outcomes[3], VoteRefusal.VoterNotFound);
        Assert.Equal(2, Accepted(outcomes[4]).ContestantVotes);
        Assert.Equal(1, await TallyAsync(show.Episode, show.Contestants[0]));
        Assert.Equal(2, await TallyAsync(show.Episode, show.Contestants[1]));
        Assert.Equal(2, await VoteRowsAsync(show.Episode));
    }

    [Fact]
    public async Task AWindowThatClosesWhileItsBatchRunsRefusesTheBatchsVotes()
    {
        var show = await OpenShowAsync(window: TimeSpan.FromMinutes(10));
        var voter = await SignInAsync();
        // Judged a millisecond before the end; by the time the batch would commit, the end has passed.
        Clock.Set(ShowNight + TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        Clock.StepPerReading = TimeSpan.FromMilliseconds(1);

        var outcome = await CommitOneAsync(Vote(voter, show.Contestants[0]));

        Clock.StepPerReading = TimeSpan.Zero;
        AssertRefused(outcome, VoteRefusal.VotingClosed);
        Assert.Equal(0, await VoteRowsAsync(show.Episode));
        Assert.Equal(0, await TallyAsync(show.Episode, show.Contestants[0]));
    }

    [Fact]
    public async Task AnAcceptedVoteReportsItsRowTheTallyAndTheVotersCounters()
    {
        var show = await OpenShowAsync();
        var voter = await SignInWithPaidVotesAsync(10);

        var first = Accepted(await CommitOneAsync(Vote(voter, show.Contestants[2], VoteType.Paid, 4)));
        var second = Accepted(await CommitOneAsync(Vote(voter, show.Contestants[2], count: 2)));

        Assert.Equal((show.Episode, show.Contestants[2], "Singer 1.3", false), (first.Episode, first.Contestant, first.ContestantName, first.Replayed));
        Assert.Equal(new VoterCounters(5, 6, 50, 0), first.Counters);
        Assert.Equal(4, first.ContestantVotes);
        Assert.Equal(new VoterCounters(3, 6, 50, 0), second.Counters);
        Assert.Equal(6, second.ContestantVotes);
        Assert.True(second.VoteId > first.VoteId);
        var row = Assert.Single(await Database.QueryAsync(
            "SELECT voter_id, episode_id, contestant_id, vote_type, vote_count, payment_method, created_at FROM votes WHERE id = $1", first.VoteId));
        Assert.Equal([voter.Value, show.Episode.Value, show.Contestants[2].Value, "paid", 4L, "wallet", ShowNight.ToUnixTimeMilliseconds()],
            row.Select(v => v is string ? v : (object)Convert.ToInt64(v)).ToArray());
    }

    [Fact]
    public async Task AVoteWithoutAnEpisodeGoesToTheOpenEpisode()
    {
        var show = await CreateShowAsync();
        var (second, lineup) = await CreateEpisodeAsync(show.Season, 2, 2);
        Assert.Equal(WindowStatus.Ok, (await Store.OpenVotingAsync(second, TimeSpan.FromHours(1), Ct)).Status);
        var voter = await SignInAsync();

        var accepted = Accepted(await CommitOneAsync(Vote(voter, lineup[1])));

        Assert.Equal(second, accepted.Episode);
        Assert.Equal(1, await VoteRowsAsync(second));
        Assert.Equal(0, await VoteRowsAsync(show.Episode));
    }

    [Fact]
    public async Task AVoteWithoutAnEpisodeWhenNoneIsOpenIsRefusedAsVotingClosed()
    {
        var show = await CreateShowAsync();
        var voter = await SignInAsync();
        AssertRefused(await CommitOneAsync(Vote(voter, show.Contestants[0])), VoteRefusal.VotingClosed);

        Assert.Equal(WindowStatus.Ok, (await Store.OpenVotingAsync(show.Episode, TimeSpan.FromHours(1), Ct)).Status);
        Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(WindowStatus.Ok, (await Store.CloseVotingAsync(show.Episode, Ct)).Status);

        AssertRefused(await CommitOneAsync(Vote(voter, show.Contestants[0])), VoteRefusal.VotingClosed);
    }

    [Fact]
    public async Task AVoteAfterTheWindowEndedIsRefusedAsVotingClosed()
    {
        var show = await OpenShowAsync(window: TimeSpan.FromMinutes(10));
        var voter = await SignInAsync();

        Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        Accepted(await CommitOneAsync(Vote(voter, show.Contestants[0], episode: show.Episode)));
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        var outcomes = await CommitAsync(Vote(voter, show.Contestants[0], episode: show.Episode), Vote(voter, show.Contestants[1]));

        AssertRefused(outcomes[0], VoteRefusal.VotingClosed);
        AssertRefused(outcomes[1], VoteRefusal.VotingClosed);
        Assert.Equal(1, await VoteRowsAsync(show.Episode));
        Assert.Equal(1, (await SummaryAsync(voter, show.Episode)).FreeVotesUsed);
    }

    [Fact]
    public async Task AVoteAfterTheOperatorClosedVotingIsRefused()
    {
        var show = await OpenShowAsync();
        var voter = await SignInAsync();
        Clock.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(WindowStatus.Ok, (await Store.CloseVotingAsync(show.Episode, Ct)).Status);

        AssertRefused(await CommitOneAsync(Vote(voter, show.Contestants[0], episode: show.Episode)), VoteRefusal.VotingClosed);
    }

    [Fact]
    public async Task AVoteForAnEpisodeNotYetOpenIsRefusedAsVotingClosed()
    {
        var show = await CreateShowAsync();
        var voter = await SignInAsync();

        AssertRefused(await CommitOneAsync(Vote(voter, show.Contestants[0], episode: show.Episode)), VoteRefusal.VotingClosed);
    }

    [Fact]
    public async Task AVoteForAnUnknownEpisodeIsRefusedAsEpisodeNotFound()
    {
        var show = await OpenShowAsync();
        var voter = await SignInAsync();

        AssertRefused(await CommitOneAsync(Vote(voter, show.Contestants[0], episode: new EpisodeId(987_654))), VoteRefusal.EpisodeNotFound);
    }

    [Fact]
    public async Task AVoteForAnUnknownContestantIsRefusedAsContestantNotFound()
    {
        await OpenShowAsync();
        var voter = await SignInAsync();

        AssertRefused(await CommitOneAsync(Vote(voter, new ContestantId(987_654))), VoteRefusal.ContestantNotFound);
    }

    [Fact]
    public async Task AVoteForAContestantOfAnotherEpisodeIsRefusedAsInvalidContestant()
    {
        var show = await OpenShowAsync();
        var (_, other) = await CreateEpisodeAsync(show.Season, 2, 1);
        var voter = await SignInAsync();

        AssertRefused(await CommitOneAsync(Vote(voter, other[0])), VoteRefusal.InvalidContestant);
        AssertRefused(await CommitOneAsync(Vote(voter, other[0], episode: show.Episode)), VoteRefusal.InvalidContestant);
    }

    [Fact]
    public async Task AVoteForAnEliminatedContestantIsRefused()
    {
        var show = await OpenShowAsync();
        var voter = await SignInAsync();

        Assert.Equal(CatalogStatus.Ok, (await Store.EliminateAsync(show.Contestants[1], Ct)).Status);

        AssertRefused(await CommitOneAsync(Vote(voter, show.Contestants[1])), VoteRefusal.ContestantEliminated);
        Accepted(await CommitOneAsync(Vote(voter, show.Contestants[0])));
    }

    [Fact]
    public async Task AVoteFromAnUnknownVoterIsRefusedAsVoterNotFound()
    {
        var show = await OpenShowAsync();

        AssertRefused(await CommitOneAsync(Vote(new VoterId(987_654), show.Contestants[0])), VoteRefusal.VoterNotFound);
        Assert.Equal(0, await VoteRowsAsync(show.Episode));
    }

    [Fact]
    public async Task AVoteCountOutsideOneToAThousandIsRefused()
    {
        var show = await OpenShowAsync();
        var voter = await SignInWithPaidVotesAsync(2000);

        var outcomes = await CommitAsync(Vote(voter, show.Contestants[0], VoteType.Paid, 0), Vote(voter, show.Contestants[0], VoteType.Paid, 1001));

        AssertRefused(outcomes[0], VoteRefusal.InvalidVoteCount);
        AssertRefused(outcomes[1], VoteRefusal.InvalidVoteCount);
        Assert.Equal(2000, (await SummaryAsync(voter)).VoteBalance);
    }

    [Fact]
    public async Task AnEmptyBatchCommitsNothing()
    {
        var show = await OpenShowAsync();

        Assert.Empty(await Store.CommitVotesAsync([], Ct));
        Assert.Equal(0, await VoteRowsAsync(show.Episode));
    }
}

public sealed class SqliteVoteBatchContractTests() : VoteBatchContractTests(StoreKind.Sqlite);

public sealed class PostgresVoteBatchContractTests() : VoteBatchContractTests(StoreKind.Postgres);
