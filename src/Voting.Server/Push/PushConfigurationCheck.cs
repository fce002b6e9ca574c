using Voting.Server.Infrastructure;

namespace Voting.Server.Push;

/// <summary>Says at start-up which push services are not configured: devices can still be registered, but their notifications become dead letters.</summary>
public sealed class PushConfigurationCheck(IEnumerable<IPushSender> senders, ILogger<PushConfigurationCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var missing = senders.Where(s => !s.IsConfigured).ToList();
        if (missing.Count == senders.Count())
            Log.NoPushSender(logger);
        else
        {
            foreach (var s in missing) Log.PushSenderMissing(logger, s.Platform, s.ConfigurationKeys);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
