using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Voting.Server.Tests.Infrastructure;

/// <summary>
/// The three carriers' outbound APIs as a real HTTP server on 127.0.0.1: <c>POST /{carrier}/sms</c>
/// and <c>/{carrier}/charge</c>, each checking the carrier's credentials (Smart's signature,
/// Cellcard's api_token, Metfone's bearer key) and answering in the carrier's format. It records
/// every request, and can fail, hang or decline on demand.
/// </summary>
public sealed class FakeCarrier : IAsyncDisposable
{
    public const string SmartSecret = "smart-test-secret";
    public const string CellcardToken = "cellcard-test-token";
    public const string MetfoneKey = "metfone-test-key";

    private readonly WebApplication _app;
    private readonly List<CarrierRequest> _requests = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private int _failNext;

    private FakeCarrier(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>Answer the next N requests with <see cref="FailStatus"/>.</summary>
    public int FailNext { get => Volatile.Read(ref _failNext); set => Volatile.Write(ref _failNext, value); }

    /// <summary>Answer every request with <see cref="FailStatus"/> while set.</summary>
    public bool FailAll { get; set; }

    public int FailStatus { get; set; } = 503;

    /// <summary>Fail only requests of this kind ("sms" or "charge"; a first-time texter's welcome text is never failed); null: any.</summary>
    public string? FailOnlyKind { get; set; }

    /// <summary>Decline charges (the carrier's "no"), in its format.</summary>
    public bool DeclineCharges { get; set; }

    /// <summary>While set, charges are answered 200 with this body (in the carrier's content type) instead of a verdict.</summary>
    public string? ChargeAnswerBody { get; set; }

    /// <summary>While set, requests are recorded on arrival and then wait for it before they are answered.</summary>
    public TaskCompletionSource? Hold { get; set; }

    public IReadOnlyList<CarrierRequest> Requests
    {
        get
        {
            lock (_requests) return [.. _requests];
        }
    }

    /// <summary>Requests answered 200: what the carrier took.</summary>
    public IReadOnlyList<CarrierRequest> Accepted => Requests.Where(r => r.Status == 200).ToList();

    public static async Task<FakeCarrier> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeCarrier? carrier = null;
        app.MapPost("/{name}/{kind}", (string name, string kind, HttpContext http) => carrier!.HandleAsync(name, kind, http));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        carrier = new FakeCarrier(app, new Uri(address));
        return carrier;
    }

    /// <summary>Configuration that points the voting server's carriers here, with matching credentials.</summary>
    public Dictionary<string, string?> Settings(string separator = ":")
    {
        var s = new Dictionary<string, string?>
        {
            [$"Sms{separator}Smart{separator}Secret"] = SmartSecret,
            [$"Sms{separator}Cellcard{separator}ApiToken"] = CellcardToken,
            [$"Sms{separator}Metfone{separator}ApiKey"] = MetfoneKey,
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

    /// <summary>The accepted text to <paramref name="phone"/> (a reply or sign-in code, not the welcome text), waiting for it.</summary>
    public Task<CarrierRequest> SmsToAsync(string phone, TimeSpan? timeout = null) =>
        WaitForAsync(r => r.Kind == "sms" && r.Status == 200 && r.To == phone && !r.IsWelcome, timeout, $"(text to {phone})");

    /// <summary>The accepted welcome text to <paramref name="phone"/>, waiting for it.</summary>
    public Task<CarrierRequest> WelcomeToAsync(string phone, TimeSpan? timeout = null) =>
        WaitForAsync(r => r.Kind == "sms" && r.Status == 200 && r.To == phone && r.IsWelcome, timeout, $"(welcome to {phone})");

    private async Task<IResult> HandleAsync(string name, string kind, HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer);
        var raw = buffer.ToArray();
        var body = JsonDocument.Parse(raw).RootElement.Clone();
        var authorized = name switch
        {
            "smart" => http.Request.Headers["X-Smart-Signature"].ToString() ==
                Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(SmartSecret), raw)),
            "cellcard" => body.TryGetProperty("api_token", out var t) && t.GetString() == CellcardToken,
            "metfone" => http.Request.Headers.Authorization.ToString() == $"Bearer {MetfoneKey}",
            _ => false,
        };
        var request = new CarrierRequest(name, kind, http.Request.Headers["Idempotency-Key"].ToString(), body, DateTimeOffset.UtcNow, 0);
        var failable = FailOnlyKind is null || (FailOnlyKind == kind && !request.IsWelcome);
        var status = !authorized ? 401 : failable && (FailAll || TakeFailure()) ? FailStatus : 200;
        request = request with { Status = status };
        lock (_requests) _requests.Add(request);
        _arrived.Release();
        if (Hold is { } hold) await hold.Task;
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
}

/// <summary>One request the fake carrier received.</summary>
public sealed record CarrierRequest(string Carrier, string Kind, string IdempotencyKeyHeader, JsonElement Body, DateTimeOffset At, int Status)
{
    public string? To => Body.TryGetProperty("to", out var v) ? v.GetString() : null;
    public string? Message => Body.TryGetProperty("message", out var v) ? v.GetString() : null;
    public string? IdempotencyKey => Body.TryGetProperty("idempotency_key", out var v) ? v.GetString() : null;

    /// <summary>The welcome text a number gets once, beside the reply to the text that made it a voter.</summary>
    public bool IsWelcome => IdempotencyKey?.StartsWith("sms-welcome:", StringComparison.Ordinal) == true;

    public override string ToString() => $"{Status} {Carrier}/{Kind} to {To} key {IdempotencyKey}: {Message}";
}
