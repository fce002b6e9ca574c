using Voting.Domain;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Sms;

public sealed record RefusalCountDto(string Reason, long Count);
public sealed record ChargeCountsDto(long Pending, long Confirmed, long Failed, long Unknown);
public sealed record CarrierSmsDto(string Carrier, long Messages, long Counted, long Votes, IReadOnlyList<RefusalCountDto> Refusals,
    long CarrierMismatches, long LateAdmitted, ChargeCountsDto Charges, decimal Revenue, decimal PendingRevenue);
public sealed record EpisodeSmsDto(long EpisodeId, string Currency, IReadOnlyList<CarrierSmsDto> Carriers, long Messages, long Votes, decimal Revenue);

/// <summary>Operators' view of SMS voting.</summary>
public static class SmsAdminApi
{
    public static IEndpointRouteBuilder MapSmsAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/admin").AllowAnonymous().AddEndpointFilter<ApiKeyFilter>();
        api.MapGet("/episodes/{id}/sms", EpisodeSmsAsync).Produces<Envelope<EpisodeSmsDto>>();
        return app;
    }

    private static async Task<IResult> EpisodeSmsAsync(string id, ICatalogStore catalog, ISmsStore store, CancellationToken ct)
    {
        if (Api.Id(id) is not { } episode || await catalog.GetEpisodeAsync(new EpisodeId(episode), ct) is null)
            return Api.NotFound("EPISODE_NOT_FOUND", "Episode not found");
        var stats = await store.GetSmsStatsAsync(new EpisodeId(episode), ct);
        var carriers = stats.Carriers.Select(c => new CarrierSmsDto(c.Carrier, c.Messages, c.Counted, c.Votes,
            c.Refusals.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => new RefusalCountDto(r.Key, r.Value)).ToList(),
            c.CarrierMismatches, c.LateAdmitted, new ChargeCountsDto(c.ChargesPending, c.ChargesConfirmed, c.ChargesFailed, c.ChargesUnknown),
            c.ConfirmedCents / 100m, c.PendingCents / 100m)).ToList();
        return Api.Ok(new EpisodeSmsDto(episode, stats.Currency, carriers, carriers.Sum(c => c.Messages), carriers.Sum(c => c.Votes),
            carriers.Sum(c => c.Revenue)));
    }
}
