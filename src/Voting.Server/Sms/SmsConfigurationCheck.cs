using Microsoft.Extensions.Options;
using Voting.Domain.Phones;
using Voting.Server.Infrastructure;

namespace Voting.Server.Sms;

/// <summary>Says at start-up which carrier webhooks refuse everything and which carrier APIs cannot be reached.</summary>
public sealed class SmsConfigurationCheck(IOptions<SmsOptions> options, IHostEnvironment env, ILogger<SmsConfigurationCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var dev = env.IsDevelopment();
        foreach (var carrier in CarrierNames.Billing)
        {
            var name = carrier.ToString();
            if (string.IsNullOrEmpty(o.WebhookCredential(carrier).Value)) Log.WebhookCredentialMissing(logger, o.WebhookCredential(carrier).Key, name);
            var co = o.For(carrier);
            if (string.IsNullOrEmpty(co.OutboundUrl))
            {
                Log.CarrierUrlMissing(logger, name, "OutboundUrl", dev
                    ? $"texts to {name} numbers (replies, sign-in codes) are written to the log (Development)"
                    : $"texts to {name} numbers (replies, sign-in codes) wait in the outbox and become dead letters");
            }
            if (string.IsNullOrEmpty(co.ChargeUrl))
            {
                Log.CarrierUrlMissing(logger, name, "ChargeUrl", dev
                    ? $"{name} charges are logged and confirmed without billing (Development)"
                    : $"{name} charges wait in the outbox and become dead letters");
            }
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
