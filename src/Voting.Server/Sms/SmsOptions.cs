using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Voting.Domain.Phones;

namespace Voting.Server.Sms;

/// <summary>One carrier's credentials and endpoints (configuration section <c>Sms:&lt;Carrier&gt;</c>).</summary>
public sealed class CarrierOptions
{
    /// <summary>False takes the carrier off the air: its webhook refuses every delivery and Production does not require its URLs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Smart: key of the HMAC-SHA256 signatures on webhooks (X-Smart-Signature) and on our requests.</summary>
    public string? Secret { get; set; }

    /// <summary>Cellcard: the api_token in webhook bodies and in our requests.</summary>
    public string? ApiToken { get; set; }

    /// <summary>Metfone: the bearer key of webhooks and of our requests.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The carrier's API for outgoing SMS (replies and sign-in codes).</summary>
    public string? OutboundUrl { get; set; }

    /// <summary>The carrier's API for billing a vote.</summary>
    public string? ChargeUrl { get; set; }

    /// <summary>The carrier's API for refunding the charge of a vote voided with a refund.</summary>
    public string? RefundUrl { get; set; }

    /// <summary>USD per vote (read into the store's prices); 0.25 when absent.</summary>
    [Range(typeof(decimal), "0", "100", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public decimal? PricePerVote { get; set; }
}

/// <summary>Premium SMS voting (configuration section <c>Sms</c>).</summary>
public sealed class SmsOptions
{
    /// <summary>The short code texts are sent to, and replies come from.</summary>
    [Required]
    public string ShortCode { get; set; } = "1255";

    /// <summary>How long after the close a text the carrier received before it may still reach us and count.</summary>
    [Range(0, 3600)]
    public int LateTextGraceSeconds { get; set; } = 120;

    [ValidateObjectMembers]
    public CarrierOptions Smart { get; set; } = new();

    [ValidateObjectMembers]
    public CarrierOptions Cellcard { get; set; } = new();

    [ValidateObjectMembers]
    public CarrierOptions Metfone { get; set; } = new();

    public CarrierOptions For(Carrier carrier) => carrier switch
    {
        Carrier.Smart => Smart,
        Carrier.Cellcard => Cellcard,
        Carrier.Metfone => Metfone,
        _ => new CarrierOptions(),
    };

    /// <summary>Null when every configured carrier URL is an absolute http(s) URL, else what is wrong.</summary>
    public string? InvalidUrl()
    {
        foreach (var carrier in CarrierNames.Billing)
        {
            var o = For(carrier);
            foreach (var (url, key) in new[] { (o.OutboundUrl, "OutboundUrl"), (o.ChargeUrl, "ChargeUrl"), (o.RefundUrl, "RefundUrl") })
            {
                if (string.IsNullOrEmpty(url)) continue;
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                    return $"Sms:{carrier}:{key} must be an absolute http(s) URL";
            }
        }
        return null;
    }

    /// <summary>
    /// Null when every enabled carrier whose webhook can take texts also has an outbound URL, else
    /// which key is missing: without it, replies and sign-in codes to that carrier's phones can only dead-letter.
    /// </summary>
    public string? WebhookWithoutOutboundUrl()
    {
        foreach (var carrier in CarrierNames.Billing)
        {
            var o = For(carrier);
            if (o.Enabled && !string.IsNullOrEmpty(WebhookCredential(carrier).Value) && string.IsNullOrEmpty(o.OutboundUrl))
                return $"Sms:{carrier}:OutboundUrl must be configured in Production when {WebhookCredential(carrier).Key} is (or set Sms:{carrier}:Enabled=false)";
        }
        return null;
    }

    /// <summary>The credential a carrier's webhook must present, and its configuration key.</summary>
    public (string? Value, string Key) WebhookCredential(Carrier carrier) => carrier switch
    {
        Carrier.Smart => (Smart.Secret, "Sms:Smart:Secret"),
        Carrier.Cellcard => (Cellcard.ApiToken, "Sms:Cellcard:ApiToken"),
        Carrier.Metfone => (Metfone.ApiKey, "Sms:Metfone:ApiKey"),
        _ => (null, "Sms"),
    };
}
