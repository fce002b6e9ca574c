using Voting.Domain.Voting;

namespace Voting.Domain.Ledger;

/// <summary>Votes left in one of a voter's bundles.</summary>
public sealed record BundleBalance(long Bundle, long Remaining);

/// <summary>
/// What one voter may still spend, as read at the start of a batch and moved by every vote the
/// batch accepts: free votes per episode, the wallet, today's SMS votes, the bundles. Deciding a
/// vote against these is what the store's guarded updates then enforce.
/// </summary>
public sealed class VoterAllowances(long balance, long smsUsedToday, IEnumerable<KeyValuePair<long, long>> freeUsedByEpisode, IEnumerable<BundleBalance> bundles)
{
    private readonly Dictionary<long, long> _freeUsed = new(freeUsedByEpisode);
    private readonly List<BundleBalance> _bundles = [.. bundles];

    public long Balance { get; private set; } = balance;
    public long SmsUsedToday { get; private set; } = smsUsedToday;

    public long FreeUsed(long episode) => _freeUsed.GetValueOrDefault(episode);
    public long FreeRemaining(long episode) => Math.Max(0, VoteRules.FreeVotesPerEpisode - FreeUsed(episode));
    public long SmsRemainingToday => Math.Max(0, VoteRules.SmsVotesPerDay - SmsUsedToday);
    public long BundleVotes => _bundles.Sum(b => b.Remaining);

    /// <summary>
    /// Spends <paramref name="count"/> votes of <paramref name="type"/> in <paramref name="episode"/>;
    /// null when allowed, with the bundle drawn on (the oldest that holds them all) for a bundle vote.
    /// </summary>
    public VoteRefusal? TrySpend(VoteType type, long episode, int count, out long bundle)
    {
        bundle = 0;
        switch (type)
        {
            case VoteType.Free:
                if (FreeUsed(episode) + count > VoteRules.FreeVotesPerEpisode) return VoteRefusal.FreeVoteLimitExceeded;
                _freeUsed[episode] = FreeUsed(episode) + count;
                return null;
            case VoteType.Paid:
                if (Balance < count) return VoteRefusal.InsufficientVoteBalance;
                Balance -= count;
                return null;
            case VoteType.Sms:
                if (SmsUsedToday + count > VoteRules.SmsVotesPerDay) return VoteRefusal.SmsLimitExceeded;
                SmsUsedToday += count;
                return null;
            case VoteType.Bundle:
                var at = _bundles.FindIndex(b => b.Remaining >= count);
                if (at < 0) return VoteRefusal.InsufficientBundleVotes;
                bundle = _bundles[at].Bundle;
                _bundles[at] = _bundles[at] with { Remaining = _bundles[at].Remaining - count };
                return null;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "unknown vote type");
        }
    }

    /// <summary>Undoes a <see cref="TrySpend"/> (a vote that lost its idempotency key to another node).</summary>
    public void GiveBack(VoteType type, long episode, int count, long bundle)
    {
        switch (type)
        {
            case VoteType.Free: _freeUsed[episode] = FreeUsed(episode) - count; break;
            case VoteType.Paid: Balance += count; break;
            case VoteType.Sms: SmsUsedToday -= count; break;
            case VoteType.Bundle:
                var at = _bundles.FindIndex(b => b.Bundle == bundle);
                _bundles[at] = _bundles[at] with { Remaining = _bundles[at].Remaining + count };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, "unknown vote type");
        }
    }

    /// <summary>What the limit of <paramref name="refusal"/> leaves the voter (for the refusal's answer).</summary>
    public long RemainingFor(VoteRefusal refusal, long episode) => refusal switch
    {
        VoteRefusal.FreeVoteLimitExceeded => FreeRemaining(episode),
        VoteRefusal.InsufficientVoteBalance => Balance,
        VoteRefusal.InsufficientBundleVotes => BundleVotes,
        VoteRefusal.SmsLimitExceeded => SmsRemainingToday,
        _ => 0,
    };
}
