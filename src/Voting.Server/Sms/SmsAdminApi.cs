using System.Globalization;
using Voting.Domain;
using Voting.Server.Infrastructure;
using Voting.Server.Outbox;
using Voting.Storage;

namespace Voting.Server.Sms;

public sealed record RefusalCountDto(string Reason, long Count);
public sealed record ChargeCountsDto(long Pending, long Confirmed, long Failed);
public sealed record CarrierSmsDto(string Carrier, long Messages, long Counted, long Votes, IReadOnlyList<RefusalCountDto> Refusals,
    long CarrierMismatches, long LateAdmitted, ChargeCountsDto Charges, decimal Revenue, decimal PendingRevenue);
public sealed record EpisodeSmsDto(long EpisodeId, string Currency, IReadOnlyList<CarrierSmsDto> Carriers, long Messages, long Votes, decimal Revenue);
public sealed record OutboxEntryDto(long Id, string Kind, string Carrier, string Recipient, string IdempotencyKey, string Status, int Attempts,
    string? LastError, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset? DeliveredAt);
public sealed record OutboxListDto(string Status, IReadOnlyList<OutboxEntryDto> Entries);
public sealed record OutboxRetryDto(long Id, string Status);

/// <summary>Operators' view of SMS voting and of the outbox's dead letters.</summary>
public static class SmsAdminApi
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapSmsAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/admin").AllowAnonymous().AddEndpointFilter<ApiKeyFilter>();
        api.MapGet("/episodes/{id}/sms", EpisodeSmsAsync);
        api.MapGet("/outbox", ListOutboxAsync);
        api.MapPost("/outbox/{id}/retry", RetryAsync);
        return app;
    }

    private static async Task<IResult> EpisodeSmsAsync(string id, ICatalogStore catalog, ISmsStore store, CancellationToken ct)
    {
        if (Api.Id(id) is not { } episode || await catalog.GetEpisodeAsync(new EpisodeId(episode), ct) is null)
            return Api.NotFound("EPISODE_NOT_FOUND", "Episode not found");
        var stats = await store.GetSmsStatsAsync(new EpisodeId(episode), ct);
        var carriers = stats.Carriers.Select(c => new CarrierSmsDto(c.Carrier, c.Messages, c.Counted, c.Votes,
            c.Refusals.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => new RefusalCountDto(r.Key, r.Value)).ToList(),
            c.CarrierMismatches, c.LateAdmitted, new ChargeCountsDto(c.ChargesPending, c.ChargesConfirmed, c.ChargesFailed),
            c.ConfirmedCents / 100m, c.PendingCents / 100m)).ToList();
        return Api.Ok(new EpisodeSmsDto(episode, stats.Currency, carriers, carriers.Sum(c => c.Messages), carriers.Sum(c => c.Votes),
            carriers.Sum(c => c.Revenue)));
    }

    private static async Task<IResult> ListOutboxAsync(IOutboxStore store, string? status, string? kind, string? limit, CancellationToken ct)
    {
        status ??= OutboxStatuses.Dead;
        if (!OutboxStatuses.All.Contains(status)) return Api.BadRequest($"status must be one of {string.Join(", ", OutboxStatuses.All)}");
        if (kind is not null && (kind.Length is 0 or > 32)) return Api.BadRequest("kind must be 1-32 characters");
        var n = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n is < 1 or > MaxLimit))
            return Api.BadRequest($"limit must be a whole number from 1 to {MaxLimit}");
        // The payload stays out: it may hold a sign-in code.
        var entries = await store.ListOutboxAsync(status, kind, n, ct);
        return Api.Ok(new OutboxListDto(status, entries.Select(e => new OutboxEntryDto(e.Id, e.Kind, OutboxDispatcher.CarrierOf(e), e.Recipient,
            e.IdempotencyKey, e.Status, e.Attempts, e.LastError, e.CreatedAt, e.NextAttemptAt, e.DeliveredAt)).ToList()));
    }

    private static async Task<IResult> RetryAsync(string id, IOutboxStore store, OutboxSignal signal, CancellationToken ct)
    {
        if (Api.Id(id) is not { } row) return OutboxNotFound();
        switch (await store.RetryOutboxAsync(row, ct))
        {
            case OutboxRetryStatus.Ok:
                signal.Nudge();
                return Api.Ok(new OutboxRetryDto(row, OutboxStatuses.Pending));
            case OutboxRetryStatus.NotDead:
                return Api.Conflict("OUTBOX_NOT_DEAD", "Only a dead letter can be retried");
            default:
                return OutboxNotFound();
        }
    }

    private static IResult OutboxNotFound() => Api.NotFound("OUTBOX_NOT_FOUND", "Outbox row not found");
}
