using Voting.Domain.Voting;
using Voting.Storage.Ledger;

namespace Voting.Storage.Sql;

/// <summary>What a vote batch needs to read before it decides (every id list distinct and sorted).</summary>
internal sealed record ContextRequest(
    bool NeedsOpenEpisode,
    long[] EpisodeIds,
    long[] VoterIds,
    long[] BundleVoterIds,
    (long Voter, string Key)[] Keys,
    long[] ContestantIds,
    int IdCount,
    string SmsDay);

/// <summary>A voter and its counters, read under the voter's row lock.</summary>
internal sealed record VoterState(string Phone, bool Verified, long Balance, long SmsUsedToday);

/// <summary>A vote already in the ledger under an idempotency key.</summary>
internal sealed record ExistingVote(long Id, string? RequestHash, long Contestant, long Episode, int Points, string ContestantName);

/// <summary>Everything a batch decides on, as of this transaction.</summary>
internal sealed class BatchContext
{
    public EpisodeWindow? OpenEpisode { get; set; }
    public Dictionary<long, EpisodeWindow> Windows { get; } = [];
    public Dictionary<long, Dictionary<long, LineupEntry>> Lineups { get; } = [];
    public Dictionary<long, VoterState> Voters { get; } = [];
    public Dictionary<(long Voter, long Episode), long> FreeUsed { get; } = [];
    public Dictionary<long, List<(long Id, long Remaining)>> Bundles { get; } = [];
    public Dictionary<(long Voter, string Key), ExistingVote> Existing { get; } = [];
    public HashSet<long> Contestants { get; } = [];
    public List<long> VoteIds { get; } = [];
}

/// <summary>A ledger row to insert.</summary>
internal sealed record VoteRow(
    long Id, long Voter, long Episode, long Contestant, string VoteType, int Count, long AmountCents, string? Currency,
    string PaymentMethod, long? BundleId, string? TransactionId, string? IdempotencyKey, string? RequestHash, int Points,
    ClientInfo Client, long CreatedAt);

/// <summary>
/// The provider's side of a vote batch: one transaction, read and written set-wise where the
/// provider can (PostgreSQL arrays), row by row on prepared statements where that is cheap (SQLite).
/// </summary>
internal interface IVoteBatchIo : ISmsBatchIo, IAsyncDisposable
{
    /// <summary>Locks the batch's voters (in id order) and reads what the rules need.</summary>
    Task<BatchContext> LoadContextAsync(ContextRequest request, CancellationToken ct);

    /// <summary>Inserts ledger rows; returns the ids actually inserted (a key another node won is skipped).</summary>
    Task<HashSet<long>> InsertVotesAsync(IReadOnlyList<VoteRow> rows, CancellationToken ct);

    /// <summary>Reads votes by idempotency key (for keys another node committed meanwhile).</summary>
    Task<Dictionary<(long Voter, string Key), ExistingVote>> FindVotesAsync(IReadOnlyList<(long Voter, string Key)> keys, CancellationToken ct);

    /// <summary>
    /// Runs the writes in order (a guarded one throws <see cref="LimitGuardException"/> if a limit would break),
    /// then reads the totals of <paramref name="totals"/>' contestants.
    /// </summary>
    Task<Dictionary<(long Episode, long Contestant), long>> ApplyAsync(IReadOnlyList<SetWrite> writes,
        IReadOnlyList<(long Episode, long Contestant)> totals, CancellationToken ct);

    Task CommitAsync(CancellationToken ct);
}
