namespace Voting.Storage;

/// <summary>
/// The whole store: every feature's contract, implemented by one store per process. Providers:
/// SQLite (embedded default) and PostgreSQL. Every method that changes state runs in one
/// transaction; limits are enforced there by conditional updates. Features depend on their own
/// narrow contract; this aggregate is for composition (registration, migration) and for tests
/// and tools that need everything.
/// </summary>
public interface IVotingStore : IVoteStore, IVoterStore, ICatalogStore, IAuthStore, IWalletStore, IResultsStore, IShowStore,
    ISmsStore, IOutboxStore, IVoidStore, IPushStore, IPurchaseStore, IProfileStore, Fraud.IFraudStore, IExportStore, IAuditStore,
    IAnalyticsStore, IStoreHealth, IAsyncDisposable
{
    /// <summary>Applies pending migrations; safe to call from several nodes at once.</summary>
    Task MigrateAsync(CancellationToken ct);
}
