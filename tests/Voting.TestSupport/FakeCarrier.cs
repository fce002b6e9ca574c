using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Voting.Domain.Sms;

namespace Voting.TestSupport;

/// <summary>The credentials the fake carriers check: the same values the voting server is given.</summary>
public sealed record CarrierCredentials(string SmartSecret, string CellcardToken, string MetfoneKey)
{
    public static CarrierCredentials Test { get; } = new(FakeCarrier.SmartSecret, FakeCarrier.CellcardToken, FakeCarrier.MetfoneKey);
}

/// <summary>How a <see cref="FakeCarrier"/> runs.</summary>
/// <param name="Port">The port on 127.0.0.1 (the only address it listens on); 0 picks a free one.</param>
/// <param name="Record">Keep every request for the test to inspect; off (benchmarks), only the counts are kept.</param>
public sealed record FakeCarrierOptions(int Port = 0, bool Record = true, CarrierCredentials? Credentials = null);

/// <summary>
/// The three carriers' outbound APIs as a real HTTP server on 127.0.0.1: <c>POST /{carrier}/sms</c>,
/// <c>/{carrier}/charge</c> and <c>/{carrier}/refund</c>, each checking the carrier's credentials
/// (Smart's signature, Cellcard's api_token, Metfone's bearer key) and answering in the carrier's
/// format; <c>GET /stats</c> answers the counts. The tests' carrier records every request and can
/// fail, hang or decline on demand; a benchmark's (<c>Voting.LoadTest carrier</c>) only counts.
/// </summary>
public sealed class FakeCarrier : IAsyncDisposable
{
    public const string SmartSecret = "smart-test-secret";
    public const string CellcardToken = "cellcard-test-token";
    public const string MetfoneKey = "metfone-test-key";

    private readonly WebApplication _app;
    private readonly bool _record;
    private readonly byte[] _smartKey;
    private readonly CarrierCredentials _credentials;
    private readonly List<CarrierRequest> _requests = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private int _failNext;

    private FakeCarrier(WebApplication app, Uri address, FakeCarrierOptions options)
    {
        _app = app;
        Address = address;
        _record = options.Record;
        _credentials = options.Credentials ?? CarrierCredentials.Test;
        _smartKey = Encoding.UTF8.GetBytes(_credentials.SmartSecret);
    }

    public Uri Address { get; }

    /// <summary>What the carriers answered so far, by carrier and kind.</summary>
    public FakeCarrierCounts Counts { get; } = new();

    /// <summary>Answer the next N requests with <see cref="FailStatus"/>.</summary>
    public int FailNext { get => Volatile.Read(ref _failNext); set => Volatile.Write(ref _failNext, value); }

    /// <summary>Answer every request with <see cref="FailStatus"/> while set.</summary>
    public bool FailAll { get; set; }

    public int FailStatus { get; set; } = 503;

    /// <summary>Fail only requests of this kind ("sms" or "charge"); null: any.</summary>
    public string? FailOnlyKind { get; set; }

    /// <summary>Decline charges (the carrier's "no"), in its format.</summary>
    public bool DeclineCharges { get; set; }

    /// <summary>While set, charges are answered 200 with this body (in the carrier's content type) instead of a verdict.</summary>
    public string? ChargeAnswerBody { get; set; }

    /// <summary>
    /// While set, charges are answered 307 (method and body kept) to another path of this carrier,
    /// <c>/{carrier}/charge-elsewhere</c>, which would confirm them: a sender that follows redirects is caught.
    /// </summary>
    public bool RedirectCharges { get; set; }

    /// <summary>While set, requests are recorded on arrival and then wait for it before they are answered.</summary>
    public TaskCompletionSource? Hold { get; set; }

    public IReadOnlyList<CarrierRequest> Requests
    {
        get
        {
            if (!_record) throw new InvalidOperationException("this fake carrier only counts requests (FakeCarrierOptions.Record is off)");
            lock (_requests) return [.. _requests];
        }
    }

    /// <summary>Requests answered 200: what the carrier took.</summary>
    public IReadOnlyList<CarrierRequest> Accepted => Requests.Where(r => r.Status == 200).ToList();

    public static async Task<FakeCarrier> StartAsync(FakeCarrierOptions? options = null)
    {
        options ??= new FakeCarrierOptions();
        var builder = WebApplication.CreateSlimBuilder(["--urls", $"http://127.0.0.1:{options.Port}"]);
        builder.Logging.ClearProviders();
        // Stopped by its owner (a test's dispose, the carrier command's signal), never by the process's Ctrl+C handler.
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        var app = builder.Build();
        FakeCarrier? carrier = null;
        app.MapPost("/{name}/{kind}", (string name, string kind, HttpContext http) => carrier!.HandleAsync(name, kind, http));
        app.MapGet("/stats", () => Results.Json(carrier!.Counts.Snapshot()));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        carrier = new FakeCarrier(app, new Uri(address), options);
        return carrier;
    }

    /// <summary>Configuration that points the voting server's carriers here, with matching credentials.</summary>
    public Dictionary<string, string?> Settings(string separator = ":")
    {
        var s = new Dictionary<string, string?>
        {
            [$"Sms{separator}Smart{separator}Secret"] = _credentials.SmartSecret,
            [$"Sms{separator}Cellcard{separator}ApiToken"] = _credentials.CellcardToken,
            [$"Sms{separator}Metfone{separator}ApiKey"] = _credentials.MetfoneKey,
        };
        foreach (var name in new[] { "Smart", "Cellcard", "Metfone" })
        {
            s[$"Sms{separator}{name}{separator}OutboundUrl"] = new Uri(Address, $"{name.ToLowerInvariant()}/sms").ToString();
            s[$"Sms{separator}{name}{separator}ChargeUrl"] = new Uri(Address, $"{name.ToLowerInvariant()}/charge").ToString();
            s[$"Sms{separator}{name}{separator}RefundUrl"] = new Uri(Address, $"{name.ToLowerInvariant()}/refund").ToString();
        }
        return s;
    }

    /// <summary>Waits until a request matching <paramref name="match"/> has arrived (and returns the first such).</summary>
    public async Task<CarrierRequest> WaitForAsync(Func<CarrierRequest, bool> match, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (Requests.FirstOrDefault(match) is { } found) return found;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"no carrier request {what} arrived; got: {string.Join("; ", Requests.Select(r => r.ToString()))}");
            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>The accepted text to <paramref name="phone"/> (a reply, which may carry the welcome, or a sign-in code), waiting for it.</summary>
    public Task<CarrierRequest> SmsToAsync(string phone, TimeSpan? timeout = null) =>
        WaitForAsync(r => r.Kind == "sms" && r.Status == 200 && r.To == phone, timeout, $"(text to {phone})");

    /// <summary>The accepted text to <paramref name="phone"/> that carries the welcome, waiting for it.</summary>
    public Task<CarrierRequest> WelcomeToAsync(string phone, TimeSpan? timeout = null) =>
        WaitForAsync(r => r.Kind == "sms" && r.Status == 200 && r.To == phone && r.CarriesWelcome, timeout, $"(welcome to {phone})");

    /// <summary>Waits until the host stops: its owner's <paramref name="ct"/>, or SIGTERM/SIGINT when run as a process.</summary>
    public Task WaitForShutdownAsync(CancellationToken ct) => _app.WaitForShutdownAsync(ct);

    private async Task<IResult> HandleAsync(string name, string kind, HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var raw = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        var authorized = Authorized(name, http.Request.Headers, raw.Span);
        // Only the tests look into the body; a benchmark's carrier parses no more than Cellcard's token.
        var request = _record
            ? new CarrierRequest(name, kind, http.Request.Headers["Idempotency-Key"].ToString(), JsonDocument.Parse(raw).RootElement.Clone(), DateTimeOffset.UtcNow, 0)
            : null;
        var failable = FailOnlyKind is null || FailOnlyKind == kind;
        var status = !authorized ? 401 : failable && (FailAll || TakeFailure()) ? FailStatus : 200;
        if (status == 200 && kind == "charge" && RedirectCharges) status = StatusCodes.Status307TemporaryRedirect;
        Counts.Add(name, kind, status, http.Request.Headers["Idempotency-Key"].ToString());
        if (request is not null)
        {
            lock (_requests) _requests.Add(request with { Status = status });
            _arrived.Release();
        }
        if (Hold is { } hold) await hold.Task;
        if (status == StatusCodes.Status307TemporaryRedirect) return Results.Redirect($"/{name}/charge-elsewhere", permanent: false, preserveMethod: true);
        if (status != 200) return Results.Text("{\"error\":\"unavailable\"}", "application/json", statusCode: status);
        if (kind == "charge" && ChargeAnswerBody is { } odd) return Results.Text(odd, name == "metfone" ? "application/xml" : "application/json");
        var yes = kind != "charge" || !DeclineCharges;
        return name switch
        {
            "smart" => Results.Text(yes ? (kind == "charge" ? "{\"status\":\"confirmed\"}" : "{\"status\":\"ok\"}") : "{\"status\":\"failed\"}", "application/json"),
            "cellcard" => Results.Text(yes ? "{\"success\":true}" : "{\"success\":false}", "application/json"),
            _ => Results.Text($"<response><status>{(yes ? "OK" : "ERROR")}</status></response>", "application/xml"),
        };
    }

    /// <summary>Smart signs the raw body (lowercase hex HMAC-SHA256), Cellcard puts api_token in it, Metfone sends a bearer key.</summary>
    private bool Authorized(string name, IHeaderDictionary headers, ReadOnlySpan<byte> raw) => name switch
    {
        "smart" => headers["X-Smart-Signature"].ToString() == Convert.ToHexStringLower(HMACSHA256.HashData(_smartKey, raw)),
        "cellcard" => TopLevelString(raw, "api_token"u8) == _credentials.CellcardToken,
        "metfone" => headers.Authorization.ToString() == $"Bearer {_credentials.MetfoneKey}",
        _ => false,
    };

    private static string? TopLevelString(ReadOnlySpan<byte> json, ReadOnlySpan<byte> property)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(property);
            reader.Read();
            if (match) return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            reader.Skip();
        }
        return null;
    }

    private bool TakeFailure()
    {
        while (true)
        {
            var n = Volatile.Read(ref _failNext);
            if (n <= 0) return false;
            if (Interlocked.CompareExchange(ref _failNext, n - 1, n) == n) return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Hold?.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _arrived.Dispose();
    }

    /// <summary>No Ctrl+C or SIGTERM handling: a test process's signals are not the carrier's to take.</summary>
    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>One request the fake carrier received.</summary>
public sealed record CarrierRequest(string Carrier, string Kind, string IdempotencyKeyHeader, JsonElement Body, DateTimeOffset At, int Status)
{
    public string? To => Body.TryGetProperty("to", out var v) ? v.GetString() : null;
    public string? Message => Body.TryGetProperty("message", out var v) ? v.GetString() : null;
    public string? IdempotencyKey => Body.TryGetProperty("idempotency_key", out var v) ? v.GetString() : null;

    /// <summary>Whether the text carries the welcome a number gets once, after the reply to the text that made it a voter.</summary>
    public bool CarriesWelcome => Message?.EndsWith(" " + SmsReplies.Welcome, StringComparison.Ordinal) == true;

    /// <summary>The text without the welcome it may carry: the reply itself.</summary>
    public string? Reply => CarriesWelcome ? Message![..^(SmsReplies.Welcome.Length + 1)] : Message;

    public override string ToString() => $"{Status} {Carrier}/{Kind} to {To} key {IdempotencyKey}: {Message}";
}
