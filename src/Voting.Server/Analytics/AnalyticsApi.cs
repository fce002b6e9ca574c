using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Voting.Domain;
using Voting.Server.Infrastructure;
using Voting.Storage;
using FromQueryAttribute = Microsoft.AspNetCore.Mvc.FromQueryAttribute;

namespace Voting.Server.Analytics;

/// <summary>The operator's analytics report of an episode, whole as JSON or one table as CSV.</summary>
public static class AnalyticsApi
{
    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/admin").AllowAnonymous().AddEndpointFilter<ApiKeyFilter>();
        api.MapGet("/episodes/{id}/analytics", ReportAsync)
            .Produces<Envelope<AnalyticsDto>>()
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest)
            .Produces<ErrorEnvelope>(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> ReportAsync(string id, [FromQuery] string? section, [FromQuery] string? format,
        ICatalogStore catalog, IAnalyticsStore store, TimeProvider time, IOptions<JsonOptions> json, CancellationToken ct)
    {
        if (format is not (null or "json" or "csv")) return Api.BadRequest("format must be json or csv");
        if (section is not null && !AnalyticsCsv.Sections.Contains(section, StringComparer.Ordinal))
            return Api.BadRequest("section must be one of " + string.Join(", ", AnalyticsCsv.Sections));
        if (format == "csv" && section is null) return Api.BadRequest("format=csv needs a section: " + string.Join(", ", AnalyticsCsv.Sections));
        if (Api.Id(id) is not { } episode || await store.GetAnalyticsAsync(new EpisodeId(episode), ct) is not { } data)
            return Api.NotFound("EPISODE_NOT_FOUND", "Episode not found");

        var report = AnalyticsReport.Build(data, await catalog.GetLineupAsync(new EpisodeId(episode), ct), time.GetUtcNow());
        if (format == "csv")
        {
            return Results.Text(AnalyticsCsv.Write(report, section!), "text/csv; charset=utf-8");
        }
        var options = ReportJson(json.Value.SerializerOptions);
        return section is null
            ? TypedResults.Json(new Envelope<AnalyticsDto>(true, report), options)
            : TypedResults.Json(new Envelope<Dictionary<string, object?>>(true, new() { [section] = Section(report, section) }), options);
    }

    private static object? Section(AnalyticsDto r, string section) => section switch
    {
        "timeline" => r.Timeline,
        "demographics" => r.Demographics,
        "geographic" => r.Geographic,
        "payment_methods" => r.PaymentMethods,
        _ => r.ContestantAnalysis,
    };

    private static JsonSerializerOptions? _reportJson;

    /// <summary>The API's options but with dictionary keys as written: the report's keys are labels ("Phnom Penh", "18-24"), not field names.</summary>
    private static JsonSerializerOptions ReportJson(JsonSerializerOptions api) =>
        _reportJson ??= new JsonSerializerOptions(api) { DictionaryKeyPolicy = null };
}
