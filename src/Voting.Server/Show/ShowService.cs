using Microsoft.Extensions.Options;
using Voting.Domain;
using Voting.Domain.Show;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Show;

/// <summary>
/// Every change to a show goes through here: broadcast signals, operators and the clock. The store
/// runs the state machine; this tells the node's push channels and clock about what changed
/// (other nodes hear of it by the store's NOTIFY), and turns a close into RESULTS_READY.
/// </summary>
public sealed class ShowService(IShowStore store, IResultsStore results, IOptions<StorageOptions> storage, ILogger<ShowService> logger)
{
    /// <summary>Raised after a transition this node made, with the show after it.</summary>
    public event Action<ShowRecord>? Changed;

    /// <summary>This node's name, in the transition log and in notifications to other nodes.</summary>
    public string Node { get; } = storage.Value.NodeName;

    public async Task<ShowChange> ChangeAsync(EpisodeId episode, ShowCommand command, string actor, SignalReceipt? signal, CancellationToken ct)
    {
        var change = await store.ChangeShowAsync(episode, command, actor, signal, ct);
        if (change.Status != ShowChangeStatus.Applied) return change;
        Log.ShowChanged(logger, episode.Value, command.Name, actor, ShowWire.Name(change.Show!.State));
        foreach (var other in change.AlsoClosed ?? [])
        {
            if (await store.GetShowAsync(other, CancellationToken.None) is { } closed) Changed?.Invoke(closed);
        }
        Changed?.Invoke(change.Show);
        return change;
    }

    /// <summary>
    /// Freezes a closed window's results: audits the ledger and records its digest with
    /// RESULTS_READY. Safe to run on several nodes at once: the state machine takes one.
    /// </summary>
    public async Task FinishCloseAsync(EpisodeId episode, CancellationToken ct)
    {
        var audit = await results.AuditEpisodeAsync(episode, ct);
        if (!audit.Consistent) Log.AuditInconsistent(logger, episode.Value);
        await ChangeAsync(episode, new AnnounceResults(audit.Digest, audit.LedgerVotes), $"results@{Node}", null, ct);
    }
}
