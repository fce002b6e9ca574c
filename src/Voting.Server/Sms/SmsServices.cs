using Microsoft.Extensions.Options;
using Voting.Server.Infrastructure;
using Voting.Server.Outbox;
using Voting.Storage;

namespace Voting.Server.Sms;

/// <summary>Registers premium SMS voting: the carriers' webhooks and their APIs for texts and charges and their outbox kinds (texts, charges, refunds).</summary>
public static class SmsServices
{
    public static IServiceCollection AddSmsVoting(this IServiceCollection services)
    {
        services.AddValidatedOptions<SmsOptions>("Sms")
            .ValidateRule(o => o.InvalidUrl());

        services.AddSingleton(sp => new SmartWebhook(Options(sp).Smart.Secret));
        services.AddSingleton(sp => new CellcardWebhook(Options(sp).Cellcard.ApiToken));
        services.AddSingleton(sp => new MetfoneWebhook(Options(sp).Metfone.ApiKey));
        services.AddSingleton<SmsIntakeHandler>();
        services.AddHostedService<SmsConfigurationCheck>();

        services.AddHttpClient(HttpCarrierSender.HttpClientName, (sp, client) =>
            client.Timeout = sp.GetRequiredService<IOptions<OutboxOptions>>().Value.Timeout);
        services.AddSingleton<CarrierSenders>();
        services.AddOutboxKind<SmsPayload, CarrierTextHandler>();
        services.AddOutboxKind<ChargePayload, CarrierChargeHandler>();
        services.AddOutboxKind<RefundPayload, CarrierRefundHandler>();
        return services;
    }

    private static SmsOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<SmsOptions>>().Value;
}
