using Voting.Server.Show;
using Voting.Server.Voting;

namespace Voting.Server.Live;

/// <summary>Connects this node's events to its push channels: committed votes and show transitions.</summary>
public sealed class LiveWiring(VoteWriter writer, ShowService shows, LiveHub hub) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        writer.Committed += hub.MarkDirty;
        shows.Changed += OnShowChanged;
        return Task.CompletedTask;
    }

    private void OnShowChanged(Storage.ShowRecord show) => hub.ShowChanged(show.Episode, show);

    public Task StopAsync(CancellationToken cancellationToken)
    {
        writer.Committed -= hub.MarkDirty;
        shows.Changed -= OnShowChanged;
        return Task.CompletedTask;
    }
}

