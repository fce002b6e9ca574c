using Microsoft.Extensions.Options;
using Voting.Server.Infrastructure;
using Voting.Server.Outbox;
using Voting.Storage;

namespace Voting.Server.Purchases;

/// <summary>Registers vote packages: the store verifiers, Google Play's client and consume outbox kind, and Pub/Sub push authentication.</summary>
public static class PurchaseServices
{
    public static IServiceCollection AddPurchases(this IServiceCollection services)
    {
        services.AddValidatedOptions<PurchaseOptions>("Purchases");
        services.AddSingleton<IValidateOptions<PurchaseOptions>, PurchaseOptionsValidator>();
        services.AddSingleton<AppleReceipts>();
        services.AddSingleton<GooglePushAuth>();
        services.AddSingleton<GooglePlayClient>();
        services.AddHttpClient(GooglePlayClient.HttpClientName);
        services.AddOutboxKind<PlayConsumePayload, PlayConsumeHandler>();
        services.AddHostedService<PurchaseConfigurationCheck>();
        services.AddHostedService<VoidedPurchasePoller>();
        return services;
    }
}

/// <summary>At start-up: loads the App Store roots (a broken file or fingerprint stops the start) and says which stores are off.</summary>
internal sealed class PurchaseConfigurationCheck(AppleReceipts apple, GooglePlayClient google, GooglePushAuth push, ILogger<PurchaseConfigurationCheck> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (apple.Verifier is null) PurchaseLog.StoreOff(logger, "App Store purchases and notifications", "Purchases:Apple:BundleId");
        if (!google.IsConfigured) PurchaseLog.StoreOff(logger, "Google Play purchases", "Purchases:Google:PackageName and Purchases:Google:ServiceAccountKeyFile");
        if (!push.IsConfigured) PurchaseLog.StoreOff(logger, "Google Play refund notifications", "Purchases:Google:PushAudience");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
