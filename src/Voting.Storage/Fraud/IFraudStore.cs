namespace Voting.Storage.Fraud;

/// <summary>
/// A vote's fraud verdict that travels with it to the writer (reasons comma-separated, inputs as
/// JSON). Review: the vote is counted and a review row inserted in the same transaction. Block or
/// Geo: the vote is refused (VOTE_BLOCKED, VOTE_GEO_BLOCKED) once the rules that answer before it
/// (window, line-up) have passed, and nothing is spent or charged. Judged in the batch so that a
/// retry under an Idempotency-Key already used is answered as the first request was.
/// </summary>
public sealed record FraudMark(int Score, string Reasons, string Inputs, bool Block = false, bool Geo = false);

public sealed record BlockedAttempt(long Voter, long? Episode, long Contestant, string VoteType, int VoteCount, int Score, string Reasons,
    bool GeoBlocked, string Inputs, string? Ip, string? DeviceId, long CreatedAtMs);

public sealed record ReviewRecord(long Id, long VoteId, long VoterId, long EpisodeId, int Score, IReadOnlyList<string> Reasons, string Status,
    DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt, string? DecidedBy, string? DecisionNote, string Inputs, string? DeviceId, string? Ip);

public sealed record BlockedRecord(long Id, long VoterId, long? EpisodeId, long ContestantId, string VoteType, int VoteCount, int Score,
    IReadOnlyList<string> Reasons, bool GeoBlocked, string Inputs, string? Ip, string? DeviceId, DateTimeOffset CreatedAt);

public enum ReviewStatus { Open, Approved, Voided }

public enum ReviewDecision { Ok, NotFound, InvalidTransition }

/// <summary>The fraud side of the ledger: reviews, blocked attempts and travel marks.</summary>
public interface IFraudStore
{
    /// <summary>Records refused attempts in one transaction.</summary>
    Task RecordBlockedAsync(IReadOnlyList<BlockedAttempt> attempts, CancellationToken ct);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<ReviewRecord>> ListReviewsAsync(long? episode, ReviewStatus? status, int limit, CancellationToken ct);

    Task<ReviewRecord?> GetReviewAsync(long id, CancellationToken ct);

    /// <summary>An open review becomes approved (its vote stays counted).</summary>
    Task<ReviewDecision> ApproveReviewAsync(long id, string actor, CancellationToken ct);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<BlockedRecord>> ListBlockedAsync(long? episode, int limit, CancellationToken ct);

    /// <summary>Marks a voter as travelling until a time (replacing an earlier mark); false when there is no such voter.</summary>
    Task<bool> SetTravelAsync(long voter, DateTimeOffset until, string actor, CancellationToken ct);

    /// <summary>Voters marked as travelling until after <paramref name="nowMs"/>, with the mark's end (ms).</summary>
    Task<IReadOnlyDictionary<long, long>> GetTravelMarksAsync(long nowMs, CancellationToken ct);
}

public static class ReviewStatuses
{
    public static string ToWire(this ReviewStatus s) => s switch
    {
        ReviewStatus.Open => "open",
        ReviewStatus.Approved => "approved",
        _ => "voided",
    };

    public static bool TryParse(string? text, out ReviewStatus status)
    {
        status = default;
        switch (text)
        {
            case "open": status = ReviewStatus.Open; return true;
            case "approved": status = ReviewStatus.Approved; return true;
            case "voided": status = ReviewStatus.Voided; return true;
            default: return false;
        }
    }
}
