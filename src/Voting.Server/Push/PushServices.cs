using Microsoft.Extensions.Options;
using Voting.Server.Outbox;
using Voting.Storage;

namespace Voting.Server.Push;

/// <summary>Registers push notifications: device tokens, the coalescer, and the FCM and APNs senders and its outbox kind.</summary>
public static class PushServices
{
    public static IServiceCollection AddPushNotifications(this IServiceCollection services)
    {
        services.AddOptions<PushOptions>().BindConfiguration("Push").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<PushOptions>, PushOptionsValidator>();

        // No per-request log lines (one notification per token: many a second on show night); the
        // outbox and the senders log what fails.
        services.AddHttpClient(FcmSender.HttpClientName, (sp, client) => client.Timeout = Timeout(sp)).RemoveAllLoggers();
        // APNs multiplexes requests on HTTP/2 connections; more than one lets a busy outbox spread its requests.
        services.AddHttpClient(ApnsSender.HttpClientName, (sp, client) => client.Timeout = Timeout(sp))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { EnableMultipleHttp2Connections = true }).RemoveAllLoggers();
        services.AddSingleton<IPushSender, FcmSender>();
        services.AddSingleton<IPushSender, ApnsSender>();
        services.AddHostedService<PushConfigurationCheck>();
        services.AddHostedService<PushCoalescer>();
        services.AddOutboxKind<PushPayload, PushHandler>();
        return services;
    }

    private static TimeSpan Timeout(IServiceProvider sp) => sp.GetRequiredService<IOptions<OutboxOptions>>().Value.Timeout;
}
