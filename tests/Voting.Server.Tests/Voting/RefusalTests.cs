using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Voting;

/// <summary>
/// cast_vote refused by a rule: the documented status and error code, and nothing changed —
/// neither the episode's ledger and tallies nor the voter's wallet.
/// </summary>
public abstract class RefusalTests(StoreKind kind)
{
    /// <summary>An open episode whose ledger already holds a vote of the voter's, so "unchanged" is not "empty".</summary>
    private static async Task<(TestEpisode Episode, SignedIn Voter)> VotedOnceAsync(ApiDriver api)
    {
        var episode = await api.OpenEpisodeAsync();
        var voter = await api.SignInAsync();
        var first = await api.VoteAsync(voter.Token, episode.Contestants[1]);
        Assert.Equal(200, first.Code);
        return (episode, voter);
    }

    [Fact]
    public async Task AVoteForAnEpisodeTheOperatorClosedIsRefusedAsVotingClosedAndChangesNothing()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var (episode, voter) = await VotedOnceAsync(api);
        await api.CreditAsync(voter.UserId, 10);
        Assert.Equal(200, (await api.PostAsync($"/api/v1/admin/episodes/{episode.EpisodeId}/voting/close", new { }, admin: true)).Code);
        var before = await api.SnapshotAsync(episode.EpisodeId, voter.Token);

        ApiAssert.Error(await api.VoteAsync(voter.Token, episode.Contestants[0], "paid", 2, episode: episode.EpisodeId), 422, "VOTING_CLOSED");
        ApiAssert.Error(await api.VoteAsync(voter.Token, episode.Contestants[0], episode: episode.EpisodeId), 422, "VOTING_CLOSED");

        Assert.Equal(before, await api.SnapshotAsync(episode.EpisodeId, voter.Token));
    }

    [Fact]
    public async Task AVoteWithoutAnEpisodeIdAfterTheOperatorClosedVotingIsRefusedAsVotingClosed()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var (episode, voter) = await VotedOnceAsync(api);
        Assert.Equal(200, (await api.PostAsync($"/api/v1/admin/episodes/{episode.EpisodeId}/voting/close", new { }, admin: true)).Code);
        var before = await api.SnapshotAsync(episode.EpisodeId, voter.Token);

        ApiAssert.Error(await api.VoteAsync(voter.Token, episode.Contestants[0]), 422, "VOTING_CLOSED");

        Assert.Equal(before, await api.SnapshotAsync(episode.EpisodeId, voter.Token));
    }

    [Fact]
    public async Task AContestantFromAnotherEpisodesLineUpIsAnInvalidContestantAndChangesNothing()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var (episode, voter) = await VotedOnceAsync(api);
        var other = await api.CreateEpisodeAsync(contestants: 2, episodeNumber: 2, seasonId: episode.SeasonId);
        var before = await api.SnapshotAsync(episode.EpisodeId, voter.Token);

        ApiAssert.Error(await api.VoteAsync(voter.Token, other.Contestants[0]), 422, "INVALID_CONTESTANT");
        ApiAssert.Error(await api.VoteAsync(voter.Token, other.Contestants[1], episode: episode.EpisodeId), 422, "INVALID_CONTESTANT");

        Assert.Equal(before, await api.SnapshotAsync(episode.EpisodeId, voter.Token));
        Assert.Equal(0, (await api.AuditAsync(other.EpisodeId)).GetProperty("vote_rows").GetInt64());
    }

    [Fact]
    public async Task AnEliminatedContestantCannotBeVotedForAndNothingChanges()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var (episode, voter) = await VotedOnceAsync(api);
        await api.CreditAsync(voter.UserId, 10);
        Assert.Equal(200, (await api.PostAsync($"/api/v1/admin/contestants/{episode.Contestants[0]}/eliminate", new { }, admin: true)).Code);
        var before = await api.SnapshotAsync(episode.EpisodeId, voter.Token);

        ApiAssert.Error(await api.VoteAsync(voter.Token, episode.Contestants[0]), 422, "CONTESTANT_ELIMINATED");
        ApiAssert.Error(await api.VoteAsync(voter.Token, episode.Contestants[0], "paid", 3), 422, "CONTESTANT_ELIMINATED");

        Assert.Equal(before, await api.SnapshotAsync(episode.EpisodeId, voter.Token));
    }

    [Fact]
    public async Task AnUnknownContestantIdIsContestantNotFoundAndChangesNothing()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var (episode, voter) = await VotedOnceAsync(api);
        var before = await api.SnapshotAsync(episode.EpisodeId, voter.Token);

        ApiAssert.Error(await api.VoteAsync(voter.Token, 999_999), 404, "CONTESTANT_NOT_FOUND");
        ApiAssert.Error(await api.VoteAsync(voter.Token, 999_999, episode: episode.EpisodeId), 404, "CONTESTANT_NOT_FOUND");

        Assert.Equal(before, await api.SnapshotAsync(episode.EpisodeId, voter.Token));
    }

    [Fact]
    public async Task AnUnknownEpisodeIdIsEpisodeNotFoundAndNoVoteIsWrittenAnywhere()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var (episode, voter) = await VotedOnceAsync(api);
        var before = await api.SnapshotAsync(episode.EpisodeId, voter.Token);
        var rows = await server.Database.VoteIdsAsync();

        ApiAssert.Error(await api.VoteAsync(voter.Token, episode.Contestants[0], episode: 999_999), 404, "EPISODE_NOT_FOUND");

        Assert.Equal(before, await api.SnapshotAsync(episode.EpisodeId, voter.Token));
        Assert.Equal(rows, await server.Database.VoteIdsAsync());
    }

    [Fact]
    public async Task APaidVoteWithAnEmptyWalletIsRefusedAndSaysTheVoterHasZeroVotes()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var (episode, voter) = await VotedOnceAsync(api);
        var before = await api.SnapshotAsync(episode.EpisodeId, voter.Token);

        var refused = await api.VoteAsync(voter.Token, episode.Contestants[0], "paid");

        ApiAssert.Error(refused, 422, "INSUFFICIENT_VOTE_BALANCE");
        Assert.Equal("Insufficient vote balance. You have 0 votes", ApiAssert.Message(refused));
        Assert.Equal(before, await api.SnapshotAsync(episode.EpisodeId, voter.Token));
    }

    [Fact]
    public async Task APaidVoteLargerThanTheWalletSpendsNothingAndSaysWhatIsLeft()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var (episode, voter) = await VotedOnceAsync(api);
        await api.CreditAsync(voter.UserId, 3);
        var before = await api.SnapshotAsync(episode.EpisodeId, voter.Token);

        var refused = await api.VoteAsync(voter.Token, episode.Contestants[0], "paid", 4);

        ApiAssert.Error(refused, 422, "INSUFFICIENT_VOTE_BALANCE");
        Assert.Equal("Insufficient vote balance. You have 3 votes", ApiAssert.Message(refused));
        Assert.Equal(before, await api.SnapshotAsync(episode.EpisodeId, voter.Token));
        Assert.Equal(3, before.Balance);
    }

    [Fact]
    public async Task TheSixthFreeVoteIsRefusedWithNoFreeVotesLeftAndIsNotCounted()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var (episode, voter) = await VotedOnceAsync(api);
        for (var i = 0; i < 4; i++) Assert.Equal(200, (await api.VoteAsync(voter.Token, episode.Contestants[i % 3])).Code);
        var before = await api.SnapshotAsync(episode.EpisodeId, voter.Token);

        var refused = await api.VoteAsync(voter.Token, episode.Contestants[0]);

        ApiAssert.Error(refused, 422, "FREE_VOTE_LIMIT_EXCEEDED");
        Assert.Equal("You can only cast 0 more free votes", ApiAssert.Message(refused));
        Assert.Equal(before, await api.SnapshotAsync(episode.EpisodeId, voter.Token));
        Assert.Equal(5, before.LedgerVotes);
        var status = (await api.GetAsync("/api/v1/xfactor/voting/current_episode", voter.Token)).Data.GetProperty("user_voting_status");
        Assert.Equal(5, status.GetProperty("free_votes_used").GetInt64());
        Assert.Equal(0, status.GetProperty("free_votes_remaining").GetInt64());
    }

    [Fact]
    public async Task ABundleVoteWithoutABundleIsRefusedAndChangesNothing()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var (episode, voter) = await VotedOnceAsync(api);
        await api.CreditAsync(voter.UserId, 10);
        var before = await api.SnapshotAsync(episode.EpisodeId, voter.Token);

        ApiAssert.Error(await api.VoteAsync(voter.Token, episode.Contestants[0], "bundle"), 422, "INSUFFICIENT_BUNDLE_VOTES");

        Assert.Equal(before, await api.SnapshotAsync(episode.EpisodeId, voter.Token));
    }
}

public sealed class SqliteRefusalTests() : RefusalTests(StoreKind.Sqlite);

public sealed class PostgresRefusalTests() : RefusalTests(StoreKind.Postgres);
