using Voting.Domain;
using Voting.Domain.Voting;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.Catalog;

/// <summary>Operators build the show and move its one voting window through idle, open and closed.</summary>
public abstract class CatalogContractTests(StoreKind kind) : VotingStoreContractTests(kind)
{
    [Fact]
    public async Task OpeningVotingStoresTheWindowOnServerTime()
    {
        var show = await CreateShowAsync();

        var opened = await Store.OpenVotingAsync(show.Episode, TimeSpan.FromMinutes(15), Ct);

        Assert.Equal(new WindowResult(WindowStatus.Ok, ShowNight, ShowNight.AddMinutes(15)), opened);
        var episode = await Store.GetOpenEpisodeAsync(Ct);
        Assert.Equal(new EpisodeWindow(show.Episode, EpisodeStates.Open, ShowNight, ShowNight.AddMinutes(15)), episode?.Window);
    }

    [Fact]
    public async Task ASecondEpisodeCannotOpenWhileTheFirstWindowRuns()
    {
        var show = await OpenShowAsync(window: TimeSpan.FromMinutes(10));
        var (second, _) = await CreateEpisodeAsync(show.Season, 2, 2);

        Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromMilliseconds(1));
        var refused = await Store.OpenVotingAsync(second, TimeSpan.FromMinutes(10), Ct);

        Assert.Equal((WindowStatus.AlreadyOpen, show.Episode.Value), (refused.Status, refused.OtherEpisode));
        Assert.Equal(EpisodeStates.Idle, (await Store.GetEpisodeAsync(second, Ct))!.Window.State);
    }

    [Fact]
    public async Task ASecondEpisodeOpensOnceTheFirstWindowHasEnded()
    {
        var show = await OpenShowAsync(window: TimeSpan.FromMinutes(10));
        var (second, _) = await CreateEpisodeAsync(show.Season, 2, 2);

        Clock.Advance(TimeSpan.FromMinutes(10));
        var opened = await Store.OpenVotingAsync(second, TimeSpan.FromMinutes(10), Ct);

        Assert.Equal(WindowStatus.Ok, opened.Status);
        Assert.Equal(EpisodeStates.Closed, (await Store.GetEpisodeAsync(show.Episode, Ct))!.Window.State);
        Assert.Equal(second, (await Store.GetOpenEpisodeAsync(Ct))?.Id);
    }

    [Fact]
    public async Task TwoNodesOpeningTwoEpisodesAtOnceOpenOne()
    {
        var show = await CreateShowAsync();
        var (second, _) = await CreateEpisodeAsync(show.Season, 2, 2);
        var other = Kind == StoreKind.Postgres ? NewStore(1) : Store;

        var results = await Task.WhenAll(
            Task.Run(() => Store.OpenVotingAsync(show.Episode, TimeSpan.FromMinutes(10), Ct), Ct),
            Task.Run(() => other.OpenVotingAsync(second, TimeSpan.FromMinutes(10), Ct), Ct));

        Assert.Single(results, r => r.Status == WindowStatus.Ok);
        Assert.Single(results, r => r.Status == WindowStatus.AlreadyOpen);
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM episodes WHERE voting_state = 'open'"));
    }

    [Fact]
    public async Task AnOpenEpisodeWhoseWindowEndedIsNoLongerTheOpenEpisode()
    {
        var show = await OpenShowAsync(window: TimeSpan.FromMinutes(10));
        Assert.Equal(show.Episode, (await Store.GetOpenEpisodeAsync(Ct))?.Id);

        Clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(await Store.GetOpenEpisodeAsync(Ct));
    }

    [Fact]
    public async Task ClosingAnIdleEpisodeIsAnInvalidTransition()
    {
        var show = await CreateShowAsync();

        Assert.Equal(WindowStatus.InvalidTransition, (await Store.CloseVotingAsync(show.Episode, Ct)).Status);
        Assert.Equal(EpisodeStates.Idle, (await Store.GetEpisodeAsync(show.Episode, Ct))!.Window.State);
    }

    [Fact]
    public async Task ClosingEndsTheWindowNowAndClosingAgainChangesNothing()
    {
        var show = await OpenShowAsync();
        Clock.Advance(TimeSpan.FromMinutes(4));

        var closed = await Store.CloseVotingAsync(show.Episode, Ct);
        Clock.Advance(TimeSpan.FromMinutes(4));
        var again = await Store.CloseVotingAsync(show.Episode, Ct);

        Assert.Equal(new WindowResult(WindowStatus.Ok, ShowNight, ShowNight.AddMinutes(4)), closed);
        Assert.Equal(closed, again);
        Assert.Equal(new EpisodeWindow(show.Episode, EpisodeStates.Closed, ShowNight, ShowNight.AddMinutes(4)),
            (await Store.GetEpisodeAsync(show.Episode, Ct))!.Window);
    }

    [Fact]
    public async Task WindowChangesOnAnUnknownEpisodeAreNotFound()
    {
        Assert.Equal(WindowStatus.NotFound, (await Store.OpenVotingAsync(new EpisodeId(987_654), TimeSpan.FromMinutes(5), Ct)).Status);
        Assert.Equal(WindowStatus.NotFound, (await Store.CloseVotingAsync(new EpisodeId(987_654), Ct)).Status);
    }

    [Fact]
    public async Task TheLineupComesInBallotOrderAndRefusesDuplicates()
    {
        var show = await CreateShowAsync(contestants: 3);
        var newcomer = new ContestantId(await Store.CreateContestantAsync(new NewContestant("Newcomer", null, null, null, null, null), Ct));

        Assert.Equal(CatalogStatus.Conflict, (await Store.AddToLineupAsync(show.Episode, show.Contestants[0], 9, null, Ct)).Status);
        Assert.Equal(CatalogStatus.Conflict, (await Store.AddToLineupAsync(show.Episode, newcomer, 2, null, Ct)).Status);
        Assert.Equal(CatalogStatus.EpisodeNotFound, (await Store.AddToLineupAsync(new EpisodeId(987_654), newcomer, 4, null, Ct)).Status);
        Assert.Equal(CatalogStatus.ContestantNotFound, (await Store.AddToLineupAsync(show.Episode, new ContestantId(987_654), 4, null, Ct)).Status);
        Assert.Equal(CatalogStatus.Ok, (await Store.AddToLineupAsync(show.Episode, newcomer, 4, "Song", Ct)).Status);

        var lineup = await Store.GetLineupAsync(show.Episode, Ct);
        Assert.Equal([1, 2, 3, 4], lineup.Select(c => c.BallotNumber));
        Assert.Equal([.. show.Contestants, newcomer], lineup.Select(c => c.Id));
        Assert.Equal("Song", lineup[3].Song);
    }

    [Fact]
    public async Task EpisodesNeedTheirSeasonAndAFreeNumber()
    {
        var show = await CreateShowAsync();

        Assert.Equal(CatalogStatus.SeasonNotFound, (await Store.CreateEpisodeAsync(new NewEpisode(987_654, 1, "x", null, null), Ct)).Status);
        Assert.Equal(CatalogStatus.Conflict, (await Store.CreateEpisodeAsync(new NewEpisode(show.Season, 1, "x", null, null), Ct)).Status);
        Assert.True(await Store.AnySeasonAsync(Ct));
    }

    [Fact]
    public async Task EliminatingAnUnknownContestantIsNotFound()
    {
        await CreateShowAsync();

        Assert.Equal(CatalogStatus.ContestantNotFound, (await Store.EliminateAsync(new ContestantId(987_654), Ct)).Status);
    }
}

public sealed class SqliteCatalogContractTests() : CatalogContractTests(StoreKind.Sqlite);

public sealed class PostgresCatalogContractTests() : CatalogContractTests(StoreKind.Postgres);
