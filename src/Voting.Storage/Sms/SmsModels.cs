using Voting.Domain;
using Voting.Domain.Voting;

namespace Voting.Storage;

/// <summary>A text as a carrier's webhook delivered it, authenticated and checked.</summary>
/// <param name="Carrier">The delivering carrier's wire name ("smart", "cellcard", "metfone").</param>
/// <param name="MessageId">The carrier's id of the message; unique per carrier.</param>
/// <param name="Sender">The texter's number in the national form.</param>
/// <param name="ShortCode">The number the text was sent to.</param>
/// <param name="Text">The message as delivered.</param>
/// <param name="CarrierReceivedAt">When the carrier says it received the text.</param>
/// <param name="ArrivedAt">When the webhook received it, by our clock.</param>
/// <param name="LateGrace">How long after the close a text the carrier received in time may reach us.</param>
/// <param name="CarrierMismatch">The sender's prefix belongs to another carrier (a fraud signal).</param>
public sealed record SmsIntake(
    string Carrier, string MessageId, string Sender, string ShortCode, string Text,
    DateTimeOffset CarrierReceivedAt, DateTimeOffset ArrivedAt, TimeSpan LateGrace, bool CarrierMismatch)
{
    /// <summary>
    /// The command that hands this text to the vote writer. Voter, episode and vote are found in
    /// the batch's transaction (the texter becomes a voter, the text is parsed against the line-up).
    /// </summary>
    public VoteCommand ToCommand(ClientInfo client) =>
        new(default, null, new VoteRequest(default, VoteType.Sms, 1), null, null, client, Sms: this);
}

/// <summary>What a text got: counted or refused, and the reply it was sent. A redelivery gets the same.</summary>
/// <param name="Counted">Whether the text became a vote.</param>
/// <param name="Outcome">"counted" or the refusal's code, e.g. VOTING_CLOSED.</param>
/// <param name="Reply">The reply sent to the texter.</param>
/// <param name="VoteId">The vote, or 0 when refused.</param>
/// <param name="Replayed">A redelivery of a message that was already answered.</param>
/// <param name="CountedIn">The episode this delivery's vote was counted in, for the live results; 0 for a refusal or a redelivery.</param>
/// <param name="Votes">The vote_count this delivery's vote committed (a text may ask for several); 0 for a refusal or a redelivery.</param>
/// <param name="Voter">The texter (0 for a replayed answer), with the episode, contestant and count a judged text asked for.</param>
public sealed record SmsAnswered(bool Counted, string Outcome, string Reply, long VoteId, bool Replayed, long CountedIn = 0, int Votes = 0,
    long Voter = 0, long? Episode = null, long Contestant = 0, int Count = 0) : VoteOutcome;

/// <summary>One carrier's share of an episode's SMS traffic and billing.</summary>
/// <param name="Carrier">Wire name; "unknown" for app SMS votes from a number outside the prefix table.</param>
/// <param name="Messages">Texts delivered by this carrier for the episode.</param>
/// <param name="Counted">Of those, texts that became votes.</param>
/// <param name="Refusals">Texts refused, by outcome code.</param>
/// <param name="CarrierMismatches">Texts whose sender's prefix belongs to another carrier.</param>
/// <param name="LateAdmitted">Texts counted by the carrier's receive time after the close.</param>
/// <param name="Votes">Carrier-billed votes of the episode (texts and app SMS votes).</param>
/// <param name="ChargesPending">Charges not yet answered by the carrier.</param>
/// <param name="ChargesConfirmed">Charges the carrier confirmed.</param>
/// <param name="ChargesFailed">Charges the carrier declined.</param>
/// <param name="ChargesUnknown">Charges the carrier answered without a verdict we could read (asked again, then dead letters for an operator).</param>
/// <param name="ConfirmedCents">Revenue of confirmed charges, in cents.</param>
/// <param name="PendingCents">Amount of pending charges, in cents.</param>
public sealed record CarrierSmsStats(
    string Carrier, long Messages, long Counted, IReadOnlyDictionary<string, long> Refusals, long CarrierMismatches, long LateAdmitted,
    long Votes, long ChargesPending, long ChargesConfirmed, long ChargesFailed, long ChargesUnknown, long ConfirmedCents, long PendingCents);

/// <summary>An episode's SMS figures per carrier.</summary>
public sealed record SmsEpisodeStats(EpisodeId Episode, string Currency, IReadOnlyList<CarrierSmsStats> Carriers);
