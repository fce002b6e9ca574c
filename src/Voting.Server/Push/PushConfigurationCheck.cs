using Voting.Server.Infrastructure;

namespace Voting.Server.Push;

/// <summary>Says at start-up which push services are not configured: devices can still be registered, but their notifications become dead letters.</summary>
public sealed class PushConfigurationCheck(IEnumerable<IPushSender> senders, StartupNotes notes) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var missing = senders.Where(s => !s.IsConfigured).ToList();
        if (missing.Count == senders.Count())
            notes.Warn("No push service is configured (Push:Fcm, Push:Apns): viewers can register devices, but their notifications become dead letters");
        else
        {
            foreach (var s in missing) notes.Warn($"{s.Platform} push is not configured (set {s.ConfigurationKeys}): notifications to {s.Platform} devices become dead letters");
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
