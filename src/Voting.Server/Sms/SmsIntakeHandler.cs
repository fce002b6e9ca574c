using Voting.Server.Fraud;
using Microsoft.Extensions.Options;
using Voting.Domain.Phones;
using Voting.Domain.Sms;
using Voting.Server.Infrastructure;
using Voting.Server.Outbox;
using Voting.Server.Voting;
using Voting.Storage;

namespace Voting.Server.Sms;

/// <summary>
/// A carrier's delivery of a text: authenticate, read the fields, hand the text to the vote writer
/// and answer once its batch has committed. A refused delivery (401, 400) writes nothing; an
/// authenticated, well-formed one answers 200 even when the vote is refused, the reply saying why.
/// </summary>
public sealed class SmsIntakeHandler(VoteWriter writer, FraudScreen fraud, ShutdownGate shutdown, IOptions<SmsOptions> options, OutboxSignal signal,
    TimeProvider time, ILogger<SmsIntakeHandler> logger)
{
    private const int MaxMessageId = 128;
    private const int MaxShortCode = 20;
    private const int MaxText = 1600; // ten concatenated SMS

    private readonly TimeSpan _grace = TimeSpan.FromSeconds(options.Value.LateTextGraceSeconds);

    public async Task<IResult> HandleAsync(HttpContext http, CarrierWebhook hook)
    {
        // 503 makes the carrier deliver again later, to this node after a restart or to another.
        if (shutdown.IsClosed) return hook.Error(StatusCodes.Status503ServiceUnavailable, "The service is shutting down; deliver again shortly");
        var arrived = time.GetUtcNow();
        var raw = await WebhookBody.ReadRawAsync(http.Request, http.RequestAborted);
        if (raw is null) return hook.Error(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {WebhookBody.MaxBytes} bytes");
        var body = hook.CredentialInBody ? WebhookBody.Parse(http.Request, raw) : null;
        if (hook.CredentialInBody && body is null) return hook.Error(StatusCodes.Status400BadRequest, "The body must be a JSON object or a form");
        if (!hook.Authenticate(http.Request, raw, body))
        {
            Log.WebhookUnauthorized(logger, hook.Carrier.ToWire(), http.Connection.RemoteIpAddress?.ToString());
            return hook.Error(StatusCodes.Status401Unauthorized, "Invalid or missing credentials");
        }
        body ??= WebhookBody.Parse(http.Request, raw);
        if (body is null) return hook.Error(StatusCodes.Status400BadRequest, "The body must be a JSON object or a form");
        var (intake, problem) = Read(hook, body, arrived);
        if (intake is null) return hook.Error(StatusCodes.Status400BadRequest, problem!);

        // Once queued the text is judged whatever the carrier does; its answer is stored, so a
        // carrier that gave up waiting gets the same answer when it delivers again.
        VoteOutcome outcome;
        FraudVerdict? verdict = null;
        try
        {
            var command = intake.ToCommand(Client(http));
            // A text is scored on its number's velocity and timing only; the verdict is applied where the text is judged.
            if (fraud.Enabled)
            {
                verdict = fraud.ScreenText(intake.Sender);
                if (fraud.MarkOf(verdict) is { } mark) command = command with { Fraud = mark };
            }
            outcome = await writer.SubmitAsync(command);
        }
        catch (VoteWriterUnavailableException e)
        {
            // Nothing was recorded for the text: the carrier delivers it again.
            http.Response.Headers.RetryAfter = VoteWriterUnavailableException.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return hook.Error(StatusCodes.Status503ServiceUnavailable, $"The text was not taken ({e.Message}); deliver again shortly");
        }
        if (outcome is not SmsAnswered answered) throw new InvalidOperationException($"a text was answered with {outcome}");
        if (!answered.Replayed) signal.Nudge();
        if (verdict is not null) await fraud.AfterTextAsync(intake.Sender, verdict, answered);
        return hook.Answer(answered.Counted);
    }

    private (SmsIntake? Intake, string? Problem) Read(CarrierWebhook hook, WebhookBody body, DateTimeOffset arrived)
    {
        var n = hook.Names;
        if (Required(body, n.From) is { Problem: { } p1 }) return (null, p1);
        if (PhoneNumber.Normalize(body.Field(n.From).Text) is not { } sender) return (null, $"Invalid field '{n.From}': not a Cambodian mobile number");
        if (Required(body, n.To, MaxShortCode) is { Problem: { } p2 }) return (null, p2);
        if (Required(body, n.MessageId, MaxMessageId) is { Problem: { } p3 }) return (null, p3);
        var messageId = body.Field(n.MessageId).Text!.Trim();
        if (messageId.Length == 0 || messageId.Any(char.IsControl)) return (null, $"Invalid field '{n.MessageId}'");
        // The text may be empty (it gets the help reply), but it must be there.
        if (body.Field(n.Text) is not (true, { } text)) return (null, Problem(body, n.Text));
        if (text.Length > MaxText) return (null, $"Invalid field '{n.Text}': longer than {MaxText} characters");
        if (Required(body, n.ReceivedAt) is { Problem: { } p4 }) return (null, p4);
        if (CarrierTime.Parse(body.Field(n.ReceivedAt).Text) is not { } receivedAt)
            return (null, $"Invalid field '{n.ReceivedAt}': expected unix seconds or ISO-8601");
        return (new SmsIntake(hook.Carrier.ToWire(), messageId, sender, body.Field(n.To).Text!.Trim(), text, receivedAt, arrived, _grace,
            SmsCarrierCheck.Disagrees(sender, hook.Carrier)), null);
    }

    private static (string? Value, string? Problem) Required(WebhookBody body, string name, int maxLength = 256) =>
        body.Field(name) is (true, { } value) && value.Trim().Length is > 0 and var length
            ? length <= maxLength ? (value, null) : (null, $"Invalid field '{name}': longer than {maxLength} characters")
            : (null, Problem(body, name));

    private static string Problem(WebhookBody body, string name) =>
        body.Field(name).Present ? $"Invalid field '{name}'" : $"Missing required field '{name}'";

    private static ClientInfo Client(HttpContext http)
    {
        var agent = http.Request.Headers.UserAgent.ToString();
        return new ClientInfo(http.Connection.RemoteIpAddress?.ToString(), agent.Length == 0 ? null : agent[..Math.Min(agent.Length, 256)], null, null);
    }
}
