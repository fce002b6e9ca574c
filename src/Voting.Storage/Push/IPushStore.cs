using Voting.Domain;

namespace Voting.Storage;

/// <summary>
/// Push notifications: viewers' device tokens, and the coalescing of their committed votes into
/// one notification per voter and window. The vote batch adds to the pending votes of voters with
/// a token in its own transaction; <see cref="FlushPushPendingAsync"/> turns due ones into outbox rows.
/// </summary>
public interface IPushStore
{
    /// <summary>Registers a device token to a voter; a token registered to another voter moves to this one.</summary>
    Task<PushTokenRegistration> RegisterPushTokenAsync(VoterId voter, string platform, string token, CancellationToken ct);

    /// <summary>Removes one of the voter's tokens; false when the voter has no such token.</summary>
    Task<bool> RemovePushTokenAsync(VoterId voter, string token, CancellationToken ct);

    /// <summary>Forgets a token the push service says is gone (whoever it belonged to); false when it was not there.</summary>
    Task<bool> ForgetPushTokenAsync(string token, CancellationToken ct);

    /// <summary>
    /// Takes up to <paramref name="limit"/> voters' pending votes whose first vote is at or before
    /// <paramref name="firstVoteAtOrBefore"/> and, in the same transaction, writes one outbox row per
    /// token of each. Safe on several nodes at once: each pending row is taken by exactly one.
    /// </summary>
    Task<PushFlush> FlushPushPendingAsync(DateTimeOffset firstVoteAtOrBefore, int limit, CancellationToken ct);
}

public enum PushTokenRegistration
{
    /// <summary>A new token.</summary>
    Created,
    /// <summary>Already this voter's token (its platform updated if it changed).</summary>
    AlreadyRegistered,
    /// <summary>The token was another voter's: the device signed in as this one.</summary>
    Moved,
    /// <summary>No such voter.</summary>
    VoterNotFound,
}

/// <summary>What one flush did.</summary>
/// <param name="Voters">Pending rows taken (and deleted).</param>
/// <param name="Notifications">Outbox rows written (one per token of those voters).</param>
public sealed record PushFlush(int Voters, int Notifications);
