using Microsoft.Extensions.Options;
using Voting.Domain.Phones;
using Voting.Server.Infrastructure;

namespace Voting.Server.Sms;

/// <summary>Says at start-up, one line per carrier, which webhooks refuse everything and which carrier APIs cannot be reached.</summary>
public sealed class SmsConfigurationCheck(IOptions<SmsOptions> options, IHostEnvironment env, StartupNotes notes) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var dev = env.IsDevelopment();
        foreach (var carrier in CarrierNames.Billing)
        {
            var co = o.For(carrier);
            if (!co.Enabled)
            {
                notes.Warn($"Sms:{carrier}:Enabled is false: the {carrier} webhook refuses every delivery");
                continue;
            }
            var missing = new List<string>();
            if (string.IsNullOrEmpty(o.WebhookCredential(carrier).Value)) missing.Add($"{o.WebhookCredential(carrier).Key} (its webhook refuses every delivery)");
            if (string.IsNullOrEmpty(co.OutboundUrl))
                missing.Add(dev ? "OutboundUrl (texts are written to the log)" : "OutboundUrl (replies and sign-in codes wait in the outbox, then dead-letter)");
            if (string.IsNullOrEmpty(co.ChargeUrl))
                missing.Add(dev ? "ChargeUrl (charges are confirmed without billing)" : "ChargeUrl (charges wait in the outbox, then dead-letter)");
            if (missing.Count > 0) notes.Warn($"Sms:{carrier} not configured: {string.Join(", ", missing)}");
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
