using System.Security.Cryptography;
using System.Text;
using Voting.Domain.Phones;

namespace Voting.Server.Sms;

/// <summary>The names a carrier gives the fields of a delivered text.</summary>
public sealed record WebhookFieldNames(string From, string To, string Text, string MessageId, string ReceivedAt);

/// <summary>
/// One carrier's webhook: how it proves who it is and how it wants to be answered. Credentials are
/// compared in constant time, and a carrier whose credential is not configured is refused always.
/// </summary>
public abstract class CarrierWebhook(Carrier carrier, WebhookFieldNames names, string? credential)
{
    private readonly byte[]? _credentialHash = string.IsNullOrEmpty(credential) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(credential));

    public Carrier Carrier => carrier;
    public WebhookFieldNames Names => names;

    /// <summary>Whether the credential travels in the body, so the body must be read before it can be checked.</summary>
    public virtual bool CredentialInBody => false;

    /// <summary>Checks the credential: from the headers and raw bytes, or from the parsed fields when it travels in the body.</summary>
    public abstract bool Authenticate(HttpRequest request, byte[] raw, WebhookBody? fields);

    /// <summary>The answer to an authenticated, well-formed delivery: counted or not.</summary>
    public abstract IResult Answer(bool processed);

    /// <summary>A refusal of the delivery itself (400, 401, 413, 503), in the carrier's format.</summary>
    public abstract IResult Error(int status, string message);

    /// <summary>Compares a presented token with the configured one; hashing both sides makes the time independent of their lengths.</summary>
    protected bool Matches(string? presented) =>
        _credentialHash is not null && !string.IsNullOrEmpty(presented)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _credentialHash);
}

/// <summary>
/// Smart: JSON or form <c>{ from, to, message, message_id, timestamp }</c>, header
/// <c>X-Smart-Signature</c> = hex HMAC-SHA256 of the raw body; answers <c>{ "status": "processed" | "failed" }</c>.
/// </summary>
public sealed class SmartWebhook(string? secret) : CarrierWebhook(Carrier.Smart, new("from", "to", "message", "message_id", "timestamp"), secret)
{
    public const string SignatureHeader = "X-Smart-Signature";
    private readonly byte[]? _key = string.IsNullOrEmpty(secret) ? null : Encoding.UTF8.GetBytes(secret);

    public override bool Authenticate(HttpRequest request, byte[] raw, WebhookBody? fields)
    {
        var header = request.Headers[SignatureHeader].ToString().Trim();
        // A signature is exactly 32 bytes: a truncated or padded one fails here, before any comparison.
        if (_key is null || header.Length != 64) return false;
        byte[] given;
        try
        {
            given = Convert.FromHexString(header);
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, raw), given);
    }

    public override IResult Answer(bool processed) => TypedResults.Json(new { status = processed ? "processed" : "failed" });

    public override IResult Error(int status, string message) => TypedResults.Json(new { status = "failed", error = message }, statusCode: status);
}

/// <summary>
/// Cellcard: <c>{ msisdn, short_code, text, msg_id, received_at, api_token }</c>, the token in the body;
/// answers <c>{ "success": true | false }</c>.
/// </summary>
public sealed class CellcardWebhook(string? apiToken) : CarrierWebhook(Carrier.Cellcard, new("msisdn", "short_code", "text", "msg_id", "received_at"), apiToken)
{
    public override bool CredentialInBody => true;

    public override bool Authenticate(HttpRequest request, byte[] raw, WebhookBody? fields) =>
        fields?.Field("api_token") is (true, { } token) && Matches(token);

    public override IResult Answer(bool processed) => TypedResults.Json(new { success = processed });

    public override IResult Error(int status, string message) => TypedResults.Json(new { success = false, error = message }, statusCode: status);
}

/// <summary>
/// Metfone: <c>{ sender, receiver, content, sms_id, recv_time }</c>, header <c>Authorization: Bearer &lt;key&gt;</c>;
/// answers XML <c>&lt;response&gt;&lt;status&gt;OK|ERROR&lt;/status&gt;&lt;/response&gt;</c>.
/// </summary>
public sealed class MetfoneWebhook(string? apiKey) : CarrierWebhook(Carrier.Metfone, new("sender", "receiver", "content", "sms_id", "recv_time"), apiKey)
{
    public override bool Authenticate(HttpRequest request, byte[] raw, WebhookBody? fields)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Matches(header["Bearer ".Length..].Trim());
    }

    public override IResult Answer(bool processed) => Xml(StatusCodes.Status200OK, processed ? "OK" : "ERROR", null);

    public override IResult Error(int status, string message) => Xml(status, "ERROR", message);

    private static IResult Xml(int status, string verdict, string? message)
    {
        var text = message is null
            ? $"<response><status>{verdict}</status></response>"
            : $"<response><status>{verdict}</status><message>{System.Security.SecurityElement.Escape(message)}</message></response>";
        return TypedResults.Text(text, "application/xml", Encoding.UTF8, status);
    }
}
