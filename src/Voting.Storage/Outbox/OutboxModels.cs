namespace Voting.Storage;

/// <summary>The outbox kinds; each has a typed payload (<see cref="IOutboxPayload"/>) and a handler in the server.</summary>
public static class OutboxKinds
{
    /// <summary>A text to a phone: sign-in codes and replies to texts (<see cref="SmsPayload"/>).</summary>
    public const string Sms = "sms";

    /// <summary>A request to a carrier to bill a vote (<see cref="ChargePayload"/>).</summary>
    public const string Charge = "charge";

    /// <summary>A request to a carrier to refund the charge of a voided vote.</summary>
    public const string Refund = "refund";

    /// <summary>A push notification to one device (<see cref="PushPayload"/>).</summary>
    public const string Push = "push";

    /// <summary>Google Play's consume call for a credited purchase (<see cref="PlayConsumePayload"/>).</summary>
    public const string PlayConsume = "play_consume";
}

/// <summary>Delivery states of an outbox row.</summary>
public static class OutboxStatuses
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Dead = "dead";

    public static readonly IReadOnlyList<string> All = [Pending, Delivered, Dead];
}

/// <summary>An outbox row leased to one dispatcher.</summary>
/// <param name="Attempts">Delivery attempts including this one.</param>
public sealed record OutboxItem(long Id, string Kind, string Recipient, string Payload, string IdempotencyKey, int Attempts);

/// <summary>What became of a leased row.</summary>
public enum OutboxOutcome
{
    /// <summary>The receiver took it; never sent again.</summary>
    Delivered,
    /// <summary>Try again at <see cref="OutboxCompletion.NextAttemptAt"/>.</summary>
    Retry,
    /// <summary>Given up: kept as a dead letter until an operator retries it.</summary>
    Dead,
    /// <summary>
    /// Never sent: the batch ran out of the time its lease leaves for sending. Due again at once,
    /// the attempt its lease counted given back (only while the row is still under that lease:
    /// <see cref="OutboxCompletion.LeasedAttempts"/>).
    /// </summary>
    Unsent,
}

/// <summary>How a carrier answered a charge request.</summary>
public enum ChargeStatus
{
    Confirmed,
    Failed,
    /// <summary>A 2xx whose verdict could not be read: not billed as far as we know, asked again until an answer or a dead letter.</summary>
    Unknown,
}

/// <summary>The result of one delivery attempt.</summary>
/// <param name="Charge">For a delivered charge request: the carrier's answer, applied to the vote's pending charge.</param>
/// <param name="LeasedAttempts">For <see cref="OutboxOutcome.Unsent"/>: the row's attempts as leased (<see cref="OutboxItem.Attempts"/>).</param>
public sealed record OutboxCompletion(
    long Id, OutboxOutcome Outcome, DateTimeOffset? NextAttemptAt = null, string? Error = null,
    long? ChargeVoteId = null, ChargeStatus? Charge = null, int LeasedAttempts = 0);

/// <summary>An outbox row as operators see it.</summary>
public sealed record OutboxEntry(
    long Id, string Kind, string Recipient, string Payload, string IdempotencyKey, string Status, int Attempts,
    string? LastError, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? DeliveredAt);

public enum OutboxRetryStatus { Ok, NotFound, NotDead }
