using Voting.Domain;
using Voting.Domain.Voting;

namespace Voting.Storage;

/// <summary>Who sent a vote, for fraud analysis.</summary>
public sealed record ClientInfo(string? Ip, string? UserAgent, string? DeviceId, string? AppVersion)
{
    public static readonly ClientInfo None = new(null, null, null, null);
}

/// <summary>A vote to commit. <paramref name="Episode"/> null means the episode whose voting is open.</summary>
/// <param name="Sms">A premium text to judge instead (see <see cref="SmsIntake.ToCommand"/>).</param>
/// <param name="Fraud">The vote's fraud verdict when it is not a pass: reviewed (counted and queued) or, for a text, blocked.</param>
public sealed record VoteCommand(
    VoterId Voter,
    EpisodeId? Episode,
    VoteRequest Request,
    string? IdempotencyKey,
    string? RequestHash,
    ClientInfo Client,
    string? TransactionId = null,
    SmsIntake? Sms = null,
    Fraud.FraudMark? Fraud = null);

/// <summary>What happened to one vote command.</summary>
public abstract record VoteOutcome;

/// <summary>The vote is committed (or was, for a replayed idempotency key).</summary>
public sealed record VoteAccepted(
    long VoteId,
    EpisodeId Episode,
    ContestantId Contestant,
    string ContestantName,
    long ContestantVotes,
    VoterCounters Counters,
    int LoyaltyPointsEarned,
    bool Replayed) : VoteOutcome;

/// <summary>The vote was refused and changed nothing. <paramref name="Remaining"/> is what the limit leaves.</summary>
public sealed record VoteRefused(VoteRefusal Refusal, long Remaining) : VoteOutcome;

/// <summary>A voter's counters after a batch.</summary>
public sealed record VoterCounters(long FreeVotesRemaining, long VoteBalance, long SmsVotesAvailable, long BundleVotes);

public sealed record NewContestant(string Name, string? KhmerName, string? Hometown, int? Age, string? Bio, string? PhotoUrl);

public sealed record NewEpisode(long SeasonId, int EpisodeNumber, string Title, string? Description, DateTimeOffset? AirDate);

/// <summary>Outcome of an operator change to the catalog.</summary>
public enum CatalogStatus { Ok, NotFound, SeasonNotFound, EpisodeNotFound, ContestantNotFound, Conflict }

public sealed record CatalogResult(CatalogStatus Status, long Id = 0, string? Detail = null);

public enum WindowStatus { Ok, NotFound, AlreadyOpen, InvalidTransition }

public sealed record WindowResult(WindowStatus Status, DateTimeOffset? Start = null, DateTimeOffset? End = null, long OtherEpisode = 0);

public sealed record EpisodeRecord(
    EpisodeId Id, long SeasonId, int EpisodeNumber, string Title, string? Description,
    DateTimeOffset? AirDate, EpisodeWindow Window);

public sealed record LineupContestant(
    ContestantId Id, string Name, string? KhmerName, string? Bio, string? Hometown, int? Age,
    string? PhotoUrl, string Status, int BallotNumber, string? Song);

public sealed record NewOneTimeCode(string Phone, string CodeHash, TimeSpan Lifetime, int MaxPerHour, string SmsText);

public enum CodeCheckStatus { Ok, Invalid }

public sealed record CodeCheck(CodeCheckStatus Status, VoterId Voter = default);

public sealed record WalletEntry(long Id, long Amount, string Kind, string? Reason, DateTimeOffset CreatedAt);

/// <summary>A voter's standing, overall and in one episode.</summary>
public sealed record VoterSummary(
    VoterId Id, string Phone, bool PhoneVerified, long VoteBalance, long LoyaltyPoints, long BundleVotes,
    long FreeVotesUsed, long PaidVotesCast, long VotesCast, long SmsVotesToday);

public sealed record ContestantResult(ContestantId Contestant, long Votes, IReadOnlyDictionary<VoteType, long> ByType);

public sealed record HourVotes(DateTimeOffset Hour, long Votes);

public sealed record EpisodeResults(IReadOnlyList<ContestantResult> Contestants, IReadOnlyList<HourVotes> ByHour, long UniqueVoters);

public sealed record HistoryRow(
    long Id, EpisodeId Episode, string EpisodeTitle, int EpisodeNumber, ContestantId Contestant,
    string ContestantName, VoteType Type, int Count, DateTimeOffset CreatedAt, bool Voided = false);

public sealed record HistoryPage(IReadOnlyList<HistoryRow> Rows, long TotalCount);

public sealed record ContestantAudit(ContestantId Contestant, long LedgerVotes, long TallyVotes);

/// <summary>Tallies and voter counters recomputed from the ledger.</summary>
/// <param name="LedgerVotes">Votes of the rows no void took back.</param>
/// <param name="VoidedVotes">Votes of the rows voided.</param>
/// <param name="VoidRows">Vote rows voided.</param>
/// <param name="AnalyticsConsistent">Whether the analytics counters (votes per voter and contestant, confirmed SMS revenue) agree with the ledger.</param>
public sealed record EpisodeAudit(
    long LedgerVotes, long TallyVotes, bool TalliesConsistent, bool VoterCountersConsistent,
    IReadOnlyList<ContestantAudit> ByContestant, long VoteRows, string Digest, long VoidedVotes = 0, long VoidRows = 0, bool AnalyticsConsistent = true)
{
    public bool Consistent => TalliesConsistent && VoterCountersConsistent && AnalyticsConsistent;
}
