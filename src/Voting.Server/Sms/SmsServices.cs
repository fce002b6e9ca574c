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

        // A disabled carrier's webhook has no credential, so it refuses every delivery.
        services.AddSingleton(sp => new SmartWebhook(Options(sp).Smart is { Enabled: true } o ? o.Secret : null));
        services.AddSingleton(sp => new CellcardWebhook(Options(sp).Cellcard is { Enabled: true } o ? o.ApiToken : null));
        services.AddSingleton(sp => new MetfoneWebhook(Options(sp).Metfone is { Enabled: true } o ? o.ApiKey : null));
        services.AddSingleton<SmsIntakeHandler>();
        services.AddHostedService<SmsConfigurationCheck>();

        // No per-request log lines (four at Information, the default level, for each text, charge and
        // refund: thousands a second on show night); the outbox logs what fails, retries and dies.
        // A redirect is not followed: the answer to a text or charge is the carrier's own, or none (a
        // 3xx is a refusal, a dead letter an operator sees). Followed, a 301/302 turned the signed POST
        // into a GET to wherever it pointed, and that answer could have confirmed a charge.
        services.AddHttpClient(HttpCarrierSender.HttpClientName, (sp, client) =>
                client.Timeout = sp.GetRequiredService<IOptions<OutboxOptions>>().Value.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .RemoveAllLoggers();
        services.AddSingleton<CarrierSenders>();
        services.AddOutboxKind<SmsPayload, CarrierTextHandler>();
        services.AddOutboxKind<ChargePayload, CarrierChargeHandler>();
        services.AddOutboxKind<RefundPayload, CarrierRefundHandler>();
        return services;
    }

    private static SmsOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<SmsOptions>>().Value;
}
