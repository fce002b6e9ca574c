using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Voting.Server.Tests.Infrastructure;

/// <summary>
/// The Apple Push Notification service as a real HTTP/2 server (cleartext, HTTP/2 only, so a client
/// must speak HTTP/2 with prior knowledge) on 127.0.0.1. The test's signing key is a P-256 key
/// generated here and written as a .p8 file; every request's provider token must be an ES256 JWT
/// it verifies (kid, iss, a recent iat) and its apns-topic the bundle id. Tokens can be made gone
/// (410), and requests can fail on demand.
/// </summary>
public sealed class FakeApns : IAsyncDisposable
{
    public const string TeamId = "TEAM123456";
    public const string KeyId = "KEY1234567";
    public const string BundleId = "com.hangmeas.xfactor";

    private readonly WebApplication _app;
    private readonly ECDsa _key;
    private readonly string _folder;
    private readonly HashSet<string> _gone = [];
    private readonly HashSet<string> _providerTokens = [];
    private int _failNext;

    private FakeApns(WebApplication app, ECDsa key, Uri address, string folder)
    {
        _app = app;
        _key = key;
        Address = address;
        _folder = folder;
        KeyFile = Path.Combine(folder, $"AuthKey_{KeyId}.p8");
        File.WriteAllText(KeyFile, key.ExportPkcs8PrivateKeyPem());
    }

    public Uri Address { get; }
    public string KeyFile { get; }
    public RequestLog<ApnsRequest> Notifications { get; } = new();

    /// <summary>Distinct provider tokens seen (APNs wants one reused for 20 minutes or more).</summary>
    public int ProviderTokensSeen
    {
        get
        {
            lock (_providerTokens) return _providerTokens.Count;
        }
    }

    /// <summary>Answer the next N notifications with <see cref="FailStatus"/>.</summary>
    public int FailNext { get => Volatile.Read(ref _failNext); set => Volatile.Write(ref _failNext, value); }

    public int FailStatus { get; set; } = 503;

    /// <summary>Answers 410 Unregistered for this device token from now on.</summary>
    public void Unregister(string token)
    {
        lock (_gone) _gone.Add(token);
    }

    public static async Task<FakeApns> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        FakeApns? apns = null;
        app.MapPost("/3/device/{token}", (string token, HttpContext http) => apns!.HandleAsync(token, http));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var folder = Path.Combine(Path.GetTempPath(), "xfactor-tests", "apns-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        apns = new FakeApns(app, ECDsa.Create(ECCurve.NamedCurves.nistP256), new Uri(address), folder);
        return apns;
    }

    /// <summary>Configuration that points the voting server's APNs sender here.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Push:Apns:BaseUrl"] = Address.ToString(),
        ["Push:Apns:TeamId"] = TeamId,
        ["Push:Apns:KeyId"] = KeyId,
        ["Push:Apns:PrivateKeyFile"] = KeyFile,
        ["Push:Apns:BundleId"] = BundleId,
    };

    private async Task<IResult> HandleAsync(string token, HttpContext http)
    {
        var auth = http.Request.Headers.Authorization.ToString();
        var providerToken = auth.StartsWith("bearer ", StringComparison.OrdinalIgnoreCase) ? auth["bearer ".Length..] : "";
        lock (_providerTokens) _providerTokens.Add(providerToken);
        using var doc = await JsonDocument.ParseAsync(http.Request.Body);
        var (status, reason) = !ValidProviderToken(providerToken) ? (403, "InvalidProviderToken")
            : http.Request.Headers["apns-topic"] != BundleId ? (400, "TopicDisallowed")
            : IsGone(token) ? (410, "Unregistered")
            : TakeFailure() ? (FailStatus, "ServiceUnavailable")
            : (200, null);
        Notifications.Add(new ApnsRequest(token, http.Request.Protocol, http.Request.Headers["apns-push-type"].ToString(), doc.RootElement.Clone(),
            status, DateTimeOffset.UtcNow));
        http.Response.Headers["apns-id"] = Guid.NewGuid().ToString("D").ToUpperInvariant();
        if (status == 200) return Results.Empty;
        return status == 410
            ? Results.Json(new { reason, timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, statusCode: 410)
            : Results.Json(new { reason }, statusCode: status);
    }

    /// <summary>An ES256 JWT signed by the test's key, for our key id and team, issued within the last hour.</summary>
    private bool ValidProviderToken(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3) return false;
        try
        {
            if (!_key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256,
                    DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
                return false;
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            var iat = claims.RootElement.GetProperty("iat").GetInt64();
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            return header.RootElement.GetProperty("alg").GetString() == "ES256" && header.RootElement.GetProperty("kid").GetString() == KeyId
                && claims.RootElement.GetProperty("iss").GetString() == TeamId && iat <= now + 60 && iat > now - 3600;
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException)
        {
            return false;
        }
    }

    private bool IsGone(string token)
    {
        lock (_gone) return _gone.Contains(token);
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
        await _app.StopAsync();
        await _app.DisposeAsync();
        _key.Dispose();
        Notifications.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One notification APNs received, and how it answered.</summary>
public sealed record ApnsRequest(string Token, string Protocol, string PushType, JsonElement Payload, int Status, DateTimeOffset At)
{
    public string? Title => Payload.GetProperty("aps").GetProperty("alert").GetProperty("title").GetString();
    public string? Body => Payload.GetProperty("aps").GetProperty("alert").GetProperty("body").GetString();

    public override string ToString() => $"{Status} APNs to {Token}: {Body}";
}
