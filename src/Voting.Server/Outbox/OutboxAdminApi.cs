using System.Globalization;
using Voting.Server.Audit;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Outbox;

/// <param name="Carrier">Where the row goes: the carrier of a text or charge, the push service of a notification.</param>
public sealed record OutboxEntryDto(long Id, string Kind, string Carrier, string Recipient, string IdempotencyKey, string Status, int Attempts,
    string? LastError, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? DeliveredAt);
public sealed record OutboxListDto(string Status, IReadOnlyList<OutboxEntryDto> Entries);
public sealed record OutboxRetryDto(long Id, string Status);

/// <summary>Operators' view of the outbox: rows by status (dead letters first of all), and retrying a dead letter.</summary>
public static class OutboxAdminApi
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapOutboxAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/admin/outbox").AllowAnonymous().AddEndpointFilter<ApiKeyFilter>();
        api.MapGet("", ListAsync).Produces<Envelope<OutboxListDto>>();
        api.MapPost("/{id}/retry", RetryAsync).Produces<Envelope<OutboxRetryDto>>();
        return app;
    }

    private static async Task<IResult> ListAsync(IOutboxStore store, OutboxRegistry registry, string? status, string? kind, string? limit, CancellationToken ct)
    {
        status ??= OutboxStatuses.Dead;
        if (!OutboxStatuses.All.Contains(status)) return Api.BadRequest($"status must be one of {string.Join(", ", OutboxStatuses.All)}");
        if (kind is not null && (kind.Length is 0 or > 32 || !StorableText.IsStorable(kind))) return Api.BadRequest("kind must be 1-32 characters");
        var n = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n is < 1 or > MaxLimit))
            return Api.BadRequest($"limit must be a whole number from 1 to {MaxLimit}");
        // The payload stays out: it may hold a sign-in code or a device token.
        var entries = await store.ListOutboxAsync(status, kind, n, ct);
        return Api.Ok(new OutboxListDto(status, entries.Select(e => new OutboxEntryDto(e.Id, e.Kind, registry.DestinationOf(e), e.Recipient,
            e.IdempotencyKey, e.Status, e.Attempts, e.LastError, e.CreatedAt, e.NextAttemptAt, e.DeliveredAt)).ToList()));
    }

    private static async Task<IResult> RetryAsync(string id, HttpContext http, IOutboxStore store, OutboxSignal signal, OperatorAudit audit, CancellationToken ct)
    {
        if (Api.Id(id) is not { } row) return NotFound();
        switch (await store.RetryOutboxAsync(row, ct))
        {
            case OutboxRetryStatus.Ok:
                signal.Nudge();
                await audit.RecordAsync(http, "outbox.retry", $"outbox:{row}");
                return Api.Ok(new OutboxRetryDto(row, OutboxStatuses.Pending));
            case OutboxRetryStatus.NotDead:
                return Api.Conflict("OUTBOX_NOT_DEAD", "Only a dead letter can be retried");
            default:
                return NotFound();
        }
    }

    private static IResult NotFound() => Api.NotFound("OUTBOX_NOT_FOUND", "Outbox row not found");
}
