using System.Globalization;
using System.Text.Json.Nodes;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Audit;

public sealed record AuditEntryDto(long Id, string Actor, string Action, string Target, DateTimeOffset At, string RequestId, JsonObject? Details);

public sealed record AuditLogDto(IReadOnlyList<AuditEntryDto> Entries);

/// <summary>GET /api/v1/admin/audit_log: what operators did, newest first, each under the name of their key.</summary>
public static class AuditLogApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static IEndpointRouteBuilder MapAuditLogApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/admin").AllowAnonymous().AddEndpointFilter<ApiKeyFilter>()
            .MapGet("/audit_log", ListAsync)
            .Produces<Envelope<AuditLogDto>>()
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<IResult> ListAsync(IAuditStore store, string? limit, string? before, CancellationToken ct)
    {
        var n = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out n) || n is < 1 or > MaxLimit))
            return Api.BadRequest($"Invalid value for field 'limit': a whole number from 1 to {MaxLimit}");
        long? beforeId = null;
        if (before is not null && (beforeId = Api.Id(before)) is null)
            return Api.BadRequest("Invalid value for field 'before': an entry id (a positive integer)");
        var rows = await store.ListAuditAsync(n, beforeId, ct);
        return Api.Ok(new AuditLogDto([.. rows.Select(r => new AuditEntryDto(r.Id, r.Actor, r.Action, r.Target, r.At, r.RequestId, Details(r.Details)))]));
    }

    private static JsonObject? Details(string? json) => json is null ? null : JsonNode.Parse(json) as JsonObject;
}
