using Voting.Storage;

namespace Voting.Server.Outbox;

/// <summary>One outbox kind as the dispatcher sees it: rows of <see cref="Kind"/> and how to deliver them.</summary>
public interface IOutboxKind
{
    string Kind { get; }

    /// <summary>Reads the row's payload and hands it to the kind's handler; a payload it cannot read is a dead letter.</summary>
    Task<DeliveryResult> DeliverAsync(OutboxItem item, CancellationToken ct);

    /// <summary>Where a row goes, for operators; null when its payload cannot be read.</summary>
    string? DestinationOf(OutboxEntry entry);
}

/// <summary>A kind made of a typed payload and its handler.</summary>
internal sealed class OutboxKind<TPayload>(IOutboxHandler<TPayload> handler) : IOutboxKind where TPayload : IOutboxPayload
{
    public string Kind => TPayload.Kind;

    public Task<DeliveryResult> DeliverAsync(OutboxItem item, CancellationToken ct) =>
        OutboxJson.TryRead<TPayload>(item.Payload, out var payload)
            ? handler.HandleAsync(payload, item, ct)
            // Fail closed: a row no handler can read is never guessed at, and an operator can see it.
            : Task.FromResult(DeliveryResult.Dead($"unreadable {Kind} payload"));

    public string? DestinationOf(OutboxEntry entry) =>
        OutboxJson.TryRead<TPayload>(entry.Payload, out var payload) ? handler.Destination(payload, entry.Recipient) : null;
}

/// <summary>The registered outbox kinds (see <see cref="OutboxServices.AddOutbox"/>).</summary>
public sealed class OutboxRegistry
{
    private readonly Dictionary<string, IOutboxKind> _kinds = new(StringComparer.Ordinal);

    public OutboxRegistry(IEnumerable<IOutboxKind> kinds)
    {
        foreach (var kind in kinds)
        {
            if (!_kinds.TryAdd(kind.Kind, kind)) throw new InvalidOperationException($"outbox kind '{kind.Kind}' is registered twice");
        }
        Kinds = [.. _kinds.Keys.Order(StringComparer.Ordinal)];
    }

    /// <summary>The kinds the dispatcher leases; rows of any other kind stay where they are.</summary>
    public IReadOnlyList<string> Kinds { get; }

    public IOutboxKind? Find(string kind) => _kinds.GetValueOrDefault(kind);

    /// <summary>Where a row goes, for operators' lists ("" when unknown).</summary>
    public string DestinationOf(OutboxEntry entry) => Find(entry.Kind)?.DestinationOf(entry) ?? "";
}
