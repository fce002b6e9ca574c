using Voting.Domain;

namespace Voting.Storage;

/// <summary>
/// The one store contract. Providers: SQLite (embedded default) and PostgreSQL. Every method
/// that changes state runs in one transaction; limits are enforced there by conditional updates.
/// </summary>
public partial interface IVotingStore : IOutboxStore, ISmsStore, IPushStore, IAsyncDisposable
{
    /// <summary>Applies pending migrations; safe to call from several nodes at once.</summary>
    Task MigrateAsync(CancellationToken ct);

    /// <summary>Checks that the store answers.</summary>
    Task PingAsync(CancellationToken ct);

    // Votes -----------------------------------------------------------------------------------

    /// <summary>
    /// Commits a batch of votes in one transaction (group commit). Each command gets its own
    /// outcome, in order; a refused command refuses only itself.
    /// </summary>
    Task<IReadOnlyList<VoteOutcome>> CommitVotesAsync(IReadOnlyList<VoteCommand> commands, CancellationToken ct);

    // Catalog (operators) -----------------------------------------------------------------------

    Task<long> CreateSeasonAsync(string name, int year, string status, CancellationToken ct);
    Task<long> CreateContestantAsync(NewContestant contestant, CancellationToken ct);
    Task<CatalogResult> CreateEpisodeAsync(NewEpisode episode, CancellationToken ct);
    Task<CatalogResult> AddToLineupAsync(EpisodeId episode, ContestantId contestant, int ballotNumber, string? song, CancellationToken ct);
    Task<WindowResult> OpenVotingAsync(EpisodeId episode, TimeSpan duration, CancellationToken ct);
    Task<WindowResult> CloseVotingAsync(EpisodeId episode, CancellationToken ct);
    Task<CatalogResult> EliminateAsync(ContestantId contestant, CancellationToken ct);
    Task<bool> AnySeasonAsync(CancellationToken ct);

    Task<EpisodeRecord?> GetEpisodeAsync(EpisodeId episode, CancellationToken ct);
    Task<EpisodeRecord?> GetOpenEpisodeAsync(CancellationToken ct);
    Task<EpisodeRecord?> GetNextEpisodeAsync(CancellationToken ct);
    Task<IReadOnlyList<LineupContestant>> GetLineupAsync(EpisodeId episode, CancellationToken ct);

    // Sign-in --------------------------------------------------------------------------------

    /// <summary>Stores a new one-time code and its SMS in the outbox, unless the phone had too many this hour.</summary>
    Task<bool> IssueCodeAsync(NewOneTimeCode code, CancellationToken ct);

    /// <summary>Checks a code; on success marks it used and returns the voter, created on first sign-in.</summary>
    Task<CodeCheck> VerifyCodeAsync(string phone, string codeHash, int maxAttempts, CancellationToken ct);

    /// <summary>Returns the stored setting, storing <paramref name="value"/> first if there is none.</summary>
    Task<string> GetOrAddSettingAsync(string key, string value, CancellationToken ct);

    // Wallet and bundles ---------------------------------------------------------------------

    /// <summary>Credits paid votes; null when the voter does not exist.</summary>
    Task<long?> CreditVotesAsync(VoterId voter, long amount, string kind, string? reason, string? idempotencyKey, CancellationToken ct);

    /// <summary>Grants a bundle; null when the voter does not exist.</summary>
    Task<(long BundleId, long Remaining)?> GrantBundleAsync(VoterId voter, long votes, string source, CancellationToken ct);

    // Reads ----------------------------------------------------------------------------------

    Task<VoterSummary?> GetVoterSummaryAsync(VoterId voter, EpisodeId? episode, CancellationToken ct);
    Task<EpisodeResults> GetResultsAsync(EpisodeId episode, CancellationToken ct);
    Task<HistoryPage> GetHistoryAsync(VoterId voter, int page, int perPage, CancellationToken ct);
    Task<IReadOnlyList<WalletEntry>> GetRecentCreditsAsync(VoterId voter, int limit, CancellationToken ct);
    Task<EpisodeAudit> AuditEpisodeAsync(EpisodeId episode, CancellationToken ct);
}
