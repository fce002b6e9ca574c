using Voting.Domain;

namespace Voting.Storage;

/// <summary>How a void picks the vote rows of its episode.</summary>
public enum VoidSelectorKind { VoteIds, Voter, Device, Ip }

/// <summary>Exactly one of the selectors of a void.</summary>
public sealed record VoidSelector(VoidSelectorKind Kind, IReadOnlyList<long> VoteIds, long Voter = 0, string? Text = null)
{
    public static VoidSelector Votes(IReadOnlyList<long> ids) => new(VoidSelectorKind.VoteIds, ids);
    public static VoidSelector OfVoter(long voter) => new(VoidSelectorKind.Voter, [], voter);
    public static VoidSelector OfDevice(string device) => new(VoidSelectorKind.Device, [], Text: device);
    public static VoidSelector OfIp(string ip) => new(VoidSelectorKind.Ip, [], Text: ip);

    /// <summary>How the selector is recorded with the void.</summary>
    public string Describe() => Kind switch
    {
        VoidSelectorKind.VoteIds => "vote_ids:" + string.Join(',', VoteIds),
        VoidSelectorKind.Voter => "voter_id:" + Voter.ToString(System.Globalization.CultureInfo.InvariantCulture),
        VoidSelectorKind.Device => "device_id:" + Text,
        VoidSelectorKind.Ip => "ip:" + Text,
        _ => throw new ArgumentOutOfRangeException(nameof(Kind)),
    };
}

/// <summary>An operator's void of vote rows of one episode.</summary>
/// <param name="Refund">Give back what each vote spent (wallet, bundle, free allowance, SMS day, the carrier charge).</param>
/// <param name="Actor">Who voids, for the record.</param>
/// <param name="IdempotencyKey">The same key again answers the first void and changes nothing.</param>
public sealed record VoidRequest(EpisodeId Episode, VoidSelector Selector, string Reason, bool Refund, string Actor, string? IdempotencyKey);

public enum VoidStatus { Ok, EpisodeNotFound, ResultsFrozen, VotesOfAnotherEpisode, KeyReused }

/// <summary>What a void did.</summary>
/// <param name="RowsVoided">Rows newly voided.</param>
/// <param name="VotesVoided">Their summed vote counts.</param>
/// <param name="AlreadyVoided">Matched rows that were voided before.</param>
/// <param name="Replayed">The answer of an earlier void with the same idempotency key.</param>
/// <param name="ForeignVoteIds">For <see cref="VoidStatus.VotesOfAnotherEpisode"/>: the ids that are not this episode's votes.</param>
public sealed record VoidResult(VoidStatus Status, long VoidId = 0, long RowsVoided = 0, long VotesVoided = 0, long AlreadyVoided = 0,
    bool Replayed = false, IReadOnlyList<long>? ForeignVoteIds = null);

/// <summary>Voids: compensating rows in the ledger, never an update of a vote row.</summary>
public interface IVoidStore
{
    /// <summary>
    /// Voids the selected vote rows of an episode in one transaction: one compensating row per vote row
    /// (a row is voided at most once), every projection moved back, and with a refund what each vote spent
    /// given back. Refused (nothing written) when the episode does not exist, its results are frozen, or a
    /// listed vote id is not one of its votes.
    /// </summary>
    Task<VoidResult> VoidVotesAsync(VoidRequest request, CancellationToken ct);
}
