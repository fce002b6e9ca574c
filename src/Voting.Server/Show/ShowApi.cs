using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Voting.Domain;
using Voting.Domain.Show;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Show;

public sealed record SignalData(long? EpisodeId, long? ContestantId, string? SongName, long? Duration);

public sealed record SignalBody(string? Event, DateTimeOffset? Timestamp, SignalData? Data);

/// <summary>The show's public read and the control room's signed signals.</summary>
public static class ShowApi
{
    private const int MaxSignalBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapShowApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/xfactor/show/{episodeId}", GetAsync).AllowAnonymous().Produces<Envelope<ShowStateDto>>();
        app.MapPost("/api/v1/broadcast/signals", SignalAsync).AllowAnonymous().Accepts<SignalBody>("application/json")
            .Produces<Envelope<ShowStateDto>>();
        return app;
    }

    private static async Task<IResult> GetAsync(string episodeId, IShowStore store, TimeProvider time, CancellationToken ct)
    {
        if (Api.Id(episodeId) is not { } id || await store.GetShowAsync(new EpisodeId(id), ct) is not { } show)
            return Api.NotFound("EPISODE_NOT_FOUND", "Episode not found");
        return Results.Text(Answer(show, time.GetUtcNow()), "application/json", Encoding.UTF8);
    }

    /// <summary>The success answer, written with the push messages' JSON so it is the same object as STATE_UPDATE's data.</summary>
    internal static string Answer(ShowRecord show, DateTimeOffset now) =>
        Encoding.UTF8.GetString(LiveJson.Serialize(new Envelope<ShowStateDto>(true, ShowView.ToDto(show, now))));

    private static async Task<IResult> SignalAsync(HttpContext http, ShowService shows, IOptions<BroadcastOptions> options, TimeProvider time,
        ShutdownGate shutdown, CancellationToken ct)
    {
        if (shutdown.IsClosed) return Api.Unavailable();
        var secret = options.Value.SigningSecret;
        if (string.IsNullOrEmpty(secret))
            return Api.Error(StatusCodes.Status503ServiceUnavailable, "SIGNALS_DISABLED", "Broadcast signals are not accepted: no signing secret is configured");
        var body = await ReadBodyAsync(http.Request, ct);
        if (body is null) return Api.BadRequest($"The signal body must be at most {MaxSignalBytes} bytes");

        var check = BroadcastSignature.Verify(http.Request.Headers[BroadcastSignature.Header], body, secret, time.GetUtcNow(),
            TimeSpan.FromSeconds(options.Value.ReplayWindowSeconds), out var signedAt);
        if (check == SignatureCheck.Invalid) return Api.Error(StatusCodes.Status401Unauthorized, "INVALID_SIGNATURE", "Missing or invalid X-Broadcast-Signature");
        if (check == SignatureCheck.Expired)
            return Api.Error(StatusCodes.Status401Unauthorized, "SIGNATURE_EXPIRED", $"The signature's time is more than {options.Value.ReplayWindowSeconds} s from the server's");

        var (signal, error) = Parse(body);
        if (error is not null) return error;
        var (episode, command) = signal!.Value;

        string? answered = null;
        var receipt = new SignalReceipt(BroadcastSignature.Key(signedAt, body), signedAt, show =>
        {
            answered = Answer(show, time.GetUtcNow());
            return new SignalAnswer(StatusCodes.Status200OK, answered);
        });
        var change = await shows.ChangeAsync(episode, command, "signal", receipt, ct);
        return change.Status switch
        {
            ShowChangeStatus.Applied => Results.Text(answered, "application/json", Encoding.UTF8),
            ShowChangeStatus.Replayed => Results.Text(change.Replay!.Body, "application/json", Encoding.UTF8, change.Replay.Status),
            _ => ShowCommands.Refused(change, episode, command),
        };
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxSignalBytes) return null;
        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int n;
        while ((n = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > MaxSignalBytes) return null;
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    private static ((EpisodeId, ShowCommand)? Signal, IResult? Error) Parse(byte[] body)
    {
        SignalBody? b;
        try
        {
            b = JsonSerializer.Deserialize<SignalBody>(body, SignalJson);
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } p && p.StartsWith("$.", StringComparison.Ordinal) ? p[2..] : null;
            return (null, Api.BadRequest(field is null ? "Request body is not valid JSON" : $"Invalid value for field '{field}'"));
        }
        if (b is null) return (null, Api.BadRequest("Request body must be a JSON object"));
        if (StorableText.FirstUnstorableField(b, SignalJson.PropertyNamingPolicy) is { } unstorable) return (null, JsonBody.Unstorable(unstorable));
        if (b.Event is null) return (null, JsonBody.Missing("event"));
        if (b.Timestamp is null) return (null, JsonBody.Missing("timestamp"));
        if (b.Data?.EpisodeId is not { } episode) return (null, JsonBody.Missing("data.episode_id"));
        if (episode < 1) return (null, Api.BadRequest("data.episode_id must be a positive integer"));
        var d = b.Data;
        var (command, error) = ShowCommands.From(b.Event, d.ContestantId, d.SongName, d.Duration, "data.");
        return error is not null ? (null, error) : ((new EpisodeId(episode), command!), null);
    }

    private static readonly JsonSerializerOptions SignalJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
    };
}
