using Voting.Domain.Voting;

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

/// <summary>The projections a batch moves, already summed per row they change.</summary>
internal sealed class BatchEffects
{
    public List<(long Voter, long Debit)> Balances { get; } = [];
    public List<(long Voter, long Episode, long Free, long Paid, long Total)> VoterEpisodes { get; } = [];
    public List<(long Voter, string Day, long Used)> Sms { get; } = [];
    public List<(long Bundle, long Used)> Bundles { get; } = [];
    public List<(long Episode, long Contestant, string Type, long Votes)> Tallies { get; } = [];
    public List<(long Episode, long Hour, long Votes)> Hourly { get; } = [];
    public List<(long Episode, long Minute, long Contestant, long Votes)> Minutes { get; } = [];
    public List<(long Vote, long Voter, string Carrier, long AmountCents, string Currency)> Charges { get; } = [];
    public List<(long Episode, long Contestant)> ContestantTotals { get; } = [];
    public List<(long Voter, Voting.Domain.Push.PendingVotes Votes)> PushPending { get; } = [];
    public long CreatedAt { get; set; }
    public int Shard { get; set; }
}

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

    /// <summary>Applies the projections with guards that throw if a limit would break; returns contestant totals.</summary>
    Task<Dictionary<(long Episode, long Contestant), long>> ApplyAsync(BatchEffects effects, CancellationToken ct);

    Task CommitAsync(CancellationToken ct);
}

/// <summary>A guard in a projection update failed: an invariant would have broken. The batch is rolled back.</summary>
internal sealed class LimitGuardException(string message) : Exception(message);
