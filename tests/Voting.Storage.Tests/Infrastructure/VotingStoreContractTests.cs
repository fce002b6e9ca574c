using Voting.Domain;
using Voting.Domain.Voting;

namespace Voting.Storage.Tests.Infrastructure;

/// <summary>
/// The base of the store contract suite: every test gets its own fresh database, migrated by
/// the store under test, a manual clock, and helpers that build a show through the contract.
/// Subclasses by subject hold the tests; a sealed SQLite and PostgreSQL twin runs each.
/// </summary>
public abstract class VotingStoreContractTests(StoreKind kind) : IAsyncLifetime, IDisposable
{
    /// <summary>19:00 in Phnom Penh on a show night.</summary>
    protected static readonly DateTimeOffset ShowNight = new(2025, 6, 14, 12, 0, 0, TimeSpan.Zero);

    private readonly List<IVotingStore> _stores = [];
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromMinutes(2));
    private TestDatabase? _database;
    private IVotingStore? _store;
    private int _phones;

    protected StoreKind Kind { get; } = kind;
    protected ManualClock Clock { get; } = new(ShowNight);
    protected TestDatabase Database => _database ?? throw new InvalidOperationException("not initialized");
    protected IVotingStore Store => _store ?? throw new InvalidOperationException("not initialized");

    /// <summary>Cancels a test that hangs, instead of the whole run.</summary>
    protected CancellationToken Ct => _timeout.Token;

    /// <summary>Whether the store is migrated before the test runs; migration tests do it themselves.</summary>
    protected virtual bool MigrateFirst => true;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(Kind);
        _store = NewStore();
        if (MigrateFirst) await _store.MigrateAsync(Ct);
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var s in _stores) await s.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
    }

    public void Dispose() => _timeout.Dispose();

    /// <summary>Options every store of the test gets (the suite's defaults otherwise).</summary>
    protected virtual void Configure(StorageOptions options)
    {
    }

    /// <summary>Another store on the same database, like a second node; disposed with the test.</summary>
    protected IVotingStore NewStore(int tallyShard = 0, Action<StorageOptions>? configure = null)
    {
        var options = Database.Options(tallyShard);
        Configure(options);
        configure?.Invoke(options);
        var store = StoreFactory.Create(options, Clock);
        _stores.Add(store);
        return store;
    }

    // A show ---------------------------------------------------------------------------------

    /// <summary>A season with one episode whose line-up is <paramref name="contestants"/> new contestants.</summary>
    protected async Task<Show> CreateShowAsync(int contestants = 3, IVotingStore? store = null)
    {
        store ??= Store;
        var season = await store.CreateSeasonAsync("Season 1", 2025, "active", Ct);
        var episode = await CreateEpisodeAsync(season, 1, contestants, store);
        return new Show(season, episode.Id, episode.Contestants);
    }

    protected async Task<(EpisodeId Id, ContestantId[] Contestants)> CreateEpisodeAsync(long season, int number, int contestants, IVotingStore? store = null)
    {
        store ??= Store;
        var created = await store.CreateEpisodeAsync(new NewEpisode(season, number, $"Episode {number}", null, null), Ct);
        Assert.Equal(CatalogStatus.Ok, created.Status);
        var episode = new EpisodeId(created.Id);
        var lineup = new ContestantId[contestants];
        for (var i = 0; i < contestants; i++)
        {
            lineup[i] = new ContestantId(await store.CreateContestantAsync(
                new NewContestant($"Singer {number}.{i + 1}", null, "Phnom Penh", 20 + i, null, null), Ct));
            Assert.Equal(CatalogStatus.Ok, (await store.AddToLineupAsync(episode, lineup[i], i + 1, null, Ct)).Status);
        }
        return (episode, lineup);
    }

    /// <summary>A show whose only episode is open for voting for <paramref name="window"/> (one hour by default).</summary>
    protected async Task<Show> OpenShowAsync(int contestants = 3, TimeSpan? window = null)
    {
        var show = await CreateShowAsync(contestants);
        Assert.Equal(WindowStatus.Ok, (await Store.OpenVotingAsync(show.Episode, window ?? TimeSpan.FromHours(1), Ct)).Status);
        return show;
    }

    // Voters -------------------------------------------------------------------------------

    /// <summary>A new phone on the carrier owning <paramref name="prefix"/> (012 Cellcard, 010 Smart, 088 Metfone).</summary>
    protected string NewPhone(string prefix = "012") =>
        prefix + (100_000 + Interlocked.Increment(ref _phones)).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Signs a new voter in the way the app does: a one-time code, then its check.</summary>
    protected async Task<VoterId> SignInAsync(string? phone = null)
    {
        phone ??= NewPhone();
        Assert.True(await Store.IssueCodeAsync(Code(phone, "hash-ok"), Ct));
        var check = await Store.VerifyCodeAsync(phone, "hash-ok", 5, Ct);
        Assert.Equal(CodeCheckStatus.Ok, check.Status);
        return check.Voter;
    }

    protected static NewOneTimeCode Code(string phone, string hash) =>
        new(phone, hash, TimeSpan.FromMinutes(5), 5, "Your XFactor code");

    protected async Task<VoterId> SignInWithPaidVotesAsync(long votes)
    {
        var voter = await SignInAsync();
        Assert.Equal(votes, await Store.CreditVotesAsync(voter, votes, "purchase", null, $"buy-{voter}", Ct));
        return voter;
    }

    protected async Task<VoterSummary> SummaryAsync(VoterId voter, EpisodeId? episode = null) =>
        await Store.GetVoterSummaryAsync(voter, episode, Ct) ?? throw new InvalidOperationException($"voter {voter} not found");

    // Votes --------------------------------------------------------------------------------

    protected static VoteCommand Vote(VoterId voter, ContestantId contestant, VoteType type = VoteType.Free, int count = 1,
        EpisodeId? episode = null, string? key = null, string? hash = null) =>
        new(voter, episode, new VoteRequest(contestant, type, count), key, key is null ? null : hash ?? $"{contestant}:{type}:{count}", ClientInfo.None);

    protected async Task<IReadOnlyList<VoteOutcome>> CommitAsync(params VoteCommand[] commands)
    {
        var outcomes = await Store.CommitVotesAsync(commands, Ct);
        Assert.Equal(commands.Length, outcomes.Count);
        return outcomes;
    }

    protected async Task<VoteOutcome> CommitOneAsync(VoteCommand command) => (await CommitAsync(command))[0];

    protected static VoteAccepted Accepted(VoteOutcome outcome) =>
        Assert.IsType<VoteAccepted>(outcome);

    protected static void AssertRefused(VoteOutcome outcome, VoteRefusal refusal, long? remaining = null)
    {
        var refused = Assert.IsType<VoteRefused>(outcome);
        Assert.Equal(refusal, refused.Refusal);
        if (remaining is { } r) Assert.Equal(r, refused.Remaining);
    }

    /// <summary>Votes per contestant as the results read them (tallies summed over shards).</summary>
    protected async Task<long> TallyAsync(EpisodeId episode, ContestantId contestant) =>
        (await Store.GetResultsAsync(episode, Ct)).Contestants.FirstOrDefault(c => c.Contestant == contestant)?.Votes ?? 0;

    protected Task<long> VoteRowsAsync(EpisodeId episode) =>
        Database.CountAsync("SELECT COUNT(*) FROM votes WHERE episode_id = $1", episode.Value);
}

/// <summary>A season with one episode and its line-up.</summary>
public sealed record Show(long Season, EpisodeId Episode, ContestantId[] Contestants);
