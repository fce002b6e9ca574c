using Voting.Domain;
using Voting.Domain.Analytics;
using Voting.Domain.Results;
using Voting.Domain.Voting;

namespace Voting.Storage;

/// <summary>Votes of one type for one contestant.</summary>
public sealed record TypeVotes(ContestantId Contestant, VoteType Type, long Votes);

/// <summary>Package sales credited and not refunded in an episode's voting window.</summary>
/// <param name="ByAmountCents">Purchases per amount paid (cents).</param>
/// <param name="BuyersWhoVoted">Distinct buyers among the episode's voters.</param>
public sealed record PackageSales(long Purchases, long Cents, IReadOnlyDictionary<long, long> ByAmountCents, long BuyersWhoVoted);

/// <summary>Everything the analytics report is computed from, read from counters in one snapshot (never from the ledger).</summary>
/// <param name="ByType">Tallies per contestant and type (types with votes).</param>
/// <param name="Minutes">Votes per contestant and clock minute.</param>
/// <param name="UniqueVoters">Voters with a counted vote (as in the results).</param>
/// <param name="VotersByContestant">Voters with a counted vote per contestant.</param>
/// <param name="SmsCents">Confirmed carrier charges of the episode's votes.</param>
/// <param name="RegisteredVoters">Every voter the service knows.</param>
public sealed record EpisodeAnalyticsData(
    EpisodeWindow Window,
    IReadOnlyList<TypeVotes> ByType,
    IReadOnlyList<MinuteVotes> Minutes,
    IReadOnlyList<HourVotes> Hours,
    long UniqueVoters,
    IReadOnlyDictionary<ContestantId, long> VotersByContestant,
    Audience Audience,
    long SmsCents,
    PackageSales Packages,
    long RegisteredVoters);

/// <summary>The analytics counters of an episode.</summary>
public interface IAnalyticsStore
{
    /// <summary>The episode's analytics counters, or null when there is no such episode. Ages are taken on the day voting opened.</summary>
    Task<EpisodeAnalyticsData?> GetAnalyticsAsync(EpisodeId episode, CancellationToken ct);
}
