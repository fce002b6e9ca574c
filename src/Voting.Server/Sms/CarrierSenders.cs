using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.Extensions.Options;
using Voting.Domain.Phones;
using Voting.Server.Infrastructure;

namespace Voting.Server.Sms;

/// <summary>
/// Smart signs our requests as it signs its webhooks (X-Smart-Signature) and answers
/// <c>{ "status": "ok" | "confirmed" | "accepted" }</c> or <c>{ "status": "failed" | "declined" | "rejected" }</c>.
/// </summary>
public sealed class SmartSender(IHttpClientFactory http, CarrierOptions o)
    : HttpCarrierSender(Carrier.Smart, http, UrlOf(o.OutboundUrl), UrlOf(o.ChargeUrl), UrlOf(o.RefundUrl))
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(o.Secret ?? "");

    protected override void AddToRequest(HttpRequestMessage request, byte[] body) =>
        request.Headers.TryAddWithoutValidation(SmartWebhook.SignatureHeader, Convert.ToHexStringLower(HMACSHA256.HashData(_key, body)));

    protected override bool? Agreed(string contentType, string body) =>
        JsonField(body, "status") is { ValueKind: JsonValueKind.String } s
            ? s.GetString() switch
            {
                "ok" or "confirmed" or "accepted" => true,
                "failed" or "declined" or "rejected" => false,
                _ => null,
            }
            : null;
}

/// <summary>Cellcard wants its api_token in the body and answers <c>{ "success": true | false }</c>.</summary>
public sealed class CellcardSender(IHttpClientFactory http, CarrierOptions o)
    : HttpCarrierSender(Carrier.Cellcard, http, UrlOf(o.OutboundUrl), UrlOf(o.ChargeUrl), UrlOf(o.RefundUrl))
{
    protected override void AddToBody(JsonObject body) => body["api_token"] = o.ApiToken;

    protected override bool? Agreed(string contentType, string body) => JsonField(body, "success") switch
    {
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        _ => null,
    };
}

/// <summary>Metfone takes a bearer key and answers XML <c>&lt;response&gt;&lt;status&gt;OK|ERROR&lt;/status&gt;&lt;/response&gt;</c>.</summary>
public sealed class MetfoneSender(IHttpClientFactory http, CarrierOptions o)
    : HttpCarrierSender(Carrier.Metfone, http, UrlOf(o.OutboundUrl), UrlOf(o.ChargeUrl), UrlOf(o.RefundUrl))
{
    protected override void AddToRequest(HttpRequestMessage request, byte[] body) =>
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {o.ApiKey}");

    protected override bool? Agreed(string contentType, string body)
    {
        string? status;
        try
        {
            status = XDocument.Parse(body).Root?.Element("status")?.Value.Trim();
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
        return status?.ToUpperInvariant() switch
        {
            "OK" => true,
            "ERROR" => false,
            _ => null,
        };
    }
}

/// <summary>
/// Development only, for a carrier with no URL configured: texts (sign-in codes included) are
/// written to the log and charges and refunds confirmed, so the service runs end to end on a laptop.
/// </summary>
public sealed class DevLogSender(Carrier carrier, ILogger logger) : ICarrierSender
{
    public Carrier Carrier => carrier;

    public Task<SendResult> SendSmsAsync(OutgoingSms sms, CancellationToken ct)
    {
        Log.DevSms(logger, sms.To, sms.Message);
        return Task.FromResult(SendResult.Accepted);
    }

    public Task<SendResult> ChargeAsync(OutgoingCharge charge, CancellationToken ct)
    {
        Log.DevCharge(logger, charge.Amount, charge.Currency, charge.To, carrier.ToWire(), charge.Description);
        return Task.FromResult(SendResult.Accepted);
    }

    public Task<SendResult> RefundAsync(OutgoingRefund refund, CancellationToken ct)
    {
        Log.DevRefund(logger, refund.Amount, refund.Currency, refund.To, carrier.ToWire(), refund.ChargeKey);
        return Task.FromResult(SendResult.Accepted);
    }
}

/// <summary>The sender for each carrier: its HTTP API, or in Development the log where no URL is configured.</summary>
public sealed class CarrierSenders
{
    private readonly Dictionary<(Carrier, bool Charge), ICarrierSender> _senders = [];
    private readonly Dictionary<Carrier, ICarrierSender> _refunds = [];

    public CarrierSenders(IHttpClientFactory http, IOptions<SmsOptions> options, IHostEnvironment env, ILogger<CarrierSenders> logger)
    {
        var o = options.Value;
        var dev = env.IsDevelopment();
        foreach (var carrier in CarrierNames.Billing)
        {
            var co = o.For(carrier);
            ICarrierSender api = carrier switch
            {
                Carrier.Smart => new SmartSender(http, co),
                Carrier.Cellcard => new CellcardSender(http, co),
                _ => new MetfoneSender(http, co),
            };
            var log = new DevLogSender(carrier, logger);
            _senders[(carrier, false)] = dev && string.IsNullOrEmpty(co.OutboundUrl) ? log : api;
            _senders[(carrier, true)] = dev && string.IsNullOrEmpty(co.ChargeUrl) ? log : api;
            _refunds[carrier] = dev && string.IsNullOrEmpty(co.RefundUrl) ? log : api;
        }
    }

    /// <summary>The sender of texts or charges for a carrier; null for a number no carrier serves.</summary>
    public ICarrierSender? For(Carrier carrier, bool charge) => _senders.GetValueOrDefault((carrier, charge));

    /// <summary>The sender of refunds for a carrier; null for a carrier that bills nothing.</summary>
    public ICarrierSender? RefundsOf(Carrier carrier) => _refunds.GetValueOrDefault(carrier);
}
