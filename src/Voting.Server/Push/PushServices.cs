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

        services.AddHttpClient(FcmSender.HttpClientName, (sp, client) => client.Timeout = Timeout(sp));
        // APNs multiplexes requests on HTTP/2 connections; more than one lets a busy outbox spread its requests.
        services.AddHttpClient(ApnsSender.HttpClientName, (sp, client) => client.Timeout = Timeout(sp))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { EnableMultipleHttp2Connections = true });
        services.AddSingleton<IPushSender, FcmSender>();
        services.AddSingleton<IPushSender, ApnsSender>();
        services.AddHostedService<PushConfigurationCheck>();
        services.AddHostedService<PushCoalescer>();
        services.AddOutboxKind<PushPayload, PushHandler>();
        return services;
    }

    private static TimeSpan Timeout(IServiceProvider sp) => sp.GetRequiredService<IOptions<OutboxOptions>>().Value.Timeout;
}
