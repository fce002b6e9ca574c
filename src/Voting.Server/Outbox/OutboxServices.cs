using Voting.Server.Infrastructure;
using Voting.Server.Push;
using Voting.Server.Sms;
using Voting.Storage;

namespace Voting.Server.Outbox;

/// <summary>Registers the outbox: its dispatcher and, in this one place, every kind with its typed payload and handler.</summary>
public static class OutboxServices
{
    public static IServiceCollection AddOutbox(this IServiceCollection services)
    {
        services.AddValidatedOptions<OutboxOptions>("Outbox")
            .Validate(o => o.TimeoutSeconds < o.LeaseSeconds, "Outbox:TimeoutSeconds must be shorter than Outbox:LeaseSeconds");
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxRegistry>();
        services.AddHostedService<OutboxDispatcher>();

        services.AddOutboxKind<SmsPayload, CarrierTextHandler>();
        services.AddOutboxKind<ChargePayload, CarrierChargeHandler>();
        services.AddOutboxKind<RefundPayload, CarrierRefundHandler>();
        services.AddOutboxKind<PushPayload, PushHandler>();
        return services;
    }

    private static void AddOutboxKind<TPayload, THandler>(this IServiceCollection services)
        where TPayload : IOutboxPayload
        where THandler : class, IOutboxHandler<TPayload>
    {
        services.AddSingleton<IOutboxHandler<TPayload>, THandler>();
        services.AddSingleton<IOutboxKind>(sp => new OutboxKind<TPayload>(sp.GetRequiredService<IOutboxHandler<TPayload>>()));
    }
}
