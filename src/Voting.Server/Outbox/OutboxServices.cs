using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Outbox;

/// <summary>Registers the outbox: its options and its dispatcher. The dispatcher knows no kinds: features add theirs with <see cref="AddOutboxKind{TPayload, THandler}"/>.</summary>
public static class OutboxServices
{
    public static IServiceCollection AddOutbox(this IServiceCollection services)
    {
        services.AddValidatedOptions<OutboxOptions>("Outbox")
            .Validate(o => o.TimeoutSeconds < o.LeaseSeconds, "Outbox:TimeoutSeconds must be shorter than Outbox:LeaseSeconds");
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxRegistry>();
        services.AddHostedService<OutboxDispatcher>();

        return services;
    }

    /// <summary>Registers an outbox kind: its typed payload and its handler. Each feature registers its own kinds.</summary>
    public static IServiceCollection AddOutboxKind<TPayload, THandler>(this IServiceCollection services)
        where TPayload : IOutboxPayload
        where THandler : class, IOutboxHandler<TPayload>
    {
        services.AddSingleton<IOutboxHandler<TPayload>, THandler>();
        services.AddSingleton<IOutboxKind>(sp => new OutboxKind<TPayload>(sp.GetRequiredService<IOutboxHandler<TPayload>>()));
        return services;
    }
}
