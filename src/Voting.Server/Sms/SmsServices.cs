using Microsoft.Extensions.Options;
using Voting.Server.Infrastructure;
using Voting.Server.Outbox;

namespace Voting.Server.Sms;

/// <summary>Registers premium SMS voting: the carriers' webhooks, the outbox dispatcher and its carrier senders.</summary>
public static class SmsServices
{
    public static IServiceCollection AddSmsVoting(this IServiceCollection services)
    {
        services.AddValidatedOptions<SmsOptions>("Sms")
            .ValidateRule(o => o.InvalidUrl());
        services.AddValidatedOptions<OutboxOptions>("Outbox")
            .Validate(o => o.TimeoutSeconds < o.LeaseSeconds, "Outbox:TimeoutSeconds must be shorter than Outbox:LeaseSeconds");

        services.AddSingleton(sp => new SmartWebhook(Options(sp).Smart.Secret));
        services.AddSingleton(sp => new CellcardWebhook(Options(sp).Cellcard.ApiToken));
        services.AddSingleton(sp => new MetfoneWebhook(Options(sp).Metfone.ApiKey));
        services.AddSingleton<SmsIntakeHandler>();
        services.AddHostedService<SmsConfigurationCheck>();

        services.AddHttpClient(HttpCarrierSender.HttpClientName, (sp, client) =>
            client.Timeout = sp.GetRequiredService<IOptions<OutboxOptions>>().Value.Timeout);
        services.AddSingleton<CarrierSenders>();
        services.AddSingleton<OutboxSignal>();
        services.AddHostedService<OutboxDispatcher>();
        return services;
    }

    private static SmsOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<SmsOptions>>().Value;
}
