using Voting.Domain.Push;

namespace Voting.Domain.Tests.Push;

public sealed class PendingVotesTests
{
    private static readonly PendingVotes First = new(Episode: 1, Contestant: 10, Votes: 2, LastVoteId: 100, FirstAtMs: 1_000, LastAtMs: 1_000);
    private static readonly PendingVotes Later = new(Episode: 1, Contestant: 11, Votes: 3, LastVoteId: 105, FirstAtMs: 4_000, LastAtMs: 4_000);
    private static readonly PendingVotes Latest = new(Episode: 2, Contestant: 20, Votes: 1, LastVoteId: 107, FirstAtMs: 9_000, LastAtMs: 9_000);

    [Fact]
    public void VotesAddUpKeepingTheFirstTimeAndNamingTheLatestVotesContestant()
    {
        var merged = First.Add(Later).Add(Latest);

        Assert.Equal(new PendingVotes(Episode: 2, Contestant: 20, Votes: 6, LastVoteId: 107, FirstAtMs: 1_000, LastAtMs: 9_000), merged);
    }

    [Fact]
    public void TheOrderVotesAreAddedInDoesNotMatter()
    {
        var expected = First.Add(Later).Add(Latest);

        Assert.Equal(expected, Latest.Add(First).Add(Later));
        Assert.Equal(expected, Later.Add(Latest.Add(First)));
    }

    [Fact]
    public void ANotificationIsDueOnceTheWindowHasPassedSinceTheFirstVote()
    {
        var window = TimeSpan.FromSeconds(30);

        Assert.Equal(1_000, PendingVotes.DueCutoff(31_000, window));
        Assert.Equal(31_000, PendingVotes.DueCutoff(31_000, TimeSpan.Zero));
    }
}
