using Voting.Domain.Sms;
using Voting.Domain.Voting;

namespace Voting.Storage.Sql;

/// <summary>What a batch with texts needs before it decides.</summary>
/// <param name="Messages">The batch's texts, one per carrier message id, in (carrier, message id) order.</param>
/// <param name="Phones">The texters' numbers, distinct and in order.</param>
/// <param name="EndedSinceMs">Closed episodes whose window ended at or after this may still take late texts.</param>
internal sealed record SmsClaimRequest(IReadOnlyList<SmsIntake> Messages, string[] Phones, long EndedSinceMs, long NowMs);

/// <summary>The answer stored for a message delivered before.</summary>
internal sealed record StoredSms(string Outcome, string Reply, long VoteId);

/// <summary>Everything the texts of a batch are judged on, as of its transaction.</summary>
internal sealed class SmsContext
{
    public Dictionary<(string Carrier, string MessageId), StoredSms> Answered { get; } = [];
    public Dictionary<string, long> Voters { get; } = new(StringComparer.Ordinal);
    /// <summary>Numbers this transaction made voters: the reply to each one's text carries the welcome, once ever.</summary>
    public HashSet<string> NewVoters { get; } = new(StringComparer.Ordinal);
    public List<EpisodeWindow> Episodes { get; } = [];
    public Dictionary<long, List<SmsLineupEntry>> Lineups { get; } = [];
}

/// <summary>A claimed message with what it got.</summary>
internal sealed record SmsMessageRow(SmsIntake Intake, long? Episode, long Voter, long? Vote, int VoteCount, string Outcome, string Reply, bool Late);

/// <summary>An outbox row written with the batch.</summary>
internal sealed record OutboxRow(string Kind, string Recipient, string Payload, string IdempotencyKey);

/// <summary>What a batch records about its texts and bills, besides the votes.</summary>
internal sealed class SmsWrites
{
    public List<SmsMessageRow> Messages { get; } = [];
    public List<OutboxRow> Outbox { get; } = [];
    public long CreatedAt { get; init; }
}

/// <summary>The provider's side of the texts in a vote batch (same transaction as the votes).</summary>
internal interface ISmsBatchIo
{
    /// <summary>
    /// Claims the batch's messages, so a message this transaction records is recorded by no other;
    /// reads the answers of messages delivered before; makes the texters voters with a verified
    /// phone; reads the episodes that may take the texts, with their line-ups.
    /// </summary>
    Task<SmsContext> ClaimSmsAsync(SmsClaimRequest request, CancellationToken ct);

    /// <summary>Records the claimed messages with their outcomes and inserts the outbox rows.</summary>
    Task WriteSmsAsync(SmsWrites writes, CancellationToken ct);
}
