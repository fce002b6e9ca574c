using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Voting.Server.Tests.Infrastructure;

/// <summary>
/// Firebase Cloud Messaging's HTTP v1 API and Google's OAuth token endpoint as a real HTTP server on
/// 127.0.0.1. The test's service account has an RSA key generated here, written to a JSON key file
/// whose <c>token_uri</c> points at <c>/token</c>; the endpoint checks the signed assertion (RS256, the
/// account, the FCM scope, Google's audience) and issues access tokens, and <c>messages:send</c> takes only
/// those. Tokens can be made unregistered, and requests can fail on demand.
/// </summary>
public sealed class FakeFcm : IAsyncDisposable
{
    public const string ProjectId = "xfactor-test";
    public const string ClientEmail = "push@xfactor-test.iam.gserviceaccount.com";

    private readonly WebApplication _app;
    private readonly RSA _key;
    private readonly string _folder;
    private readonly HashSet<string> _accessTokens = [];
    private readonly HashSet<string> _unregistered = [];
    private int _failNext;

    private FakeFcm(WebApplication app, RSA key, Uri address, string folder)
    {
        _app = app;
        _key = key;
        Address = address;
        _folder = folder;
        KeyFile = Path.Combine(folder, "service-account.json");
        File.WriteAllText(KeyFile, new JsonObject
        {
            ["type"] = "service_account",
            ["project_id"] = ProjectId,
            ["private_key_id"] = "test-key-1",
            ["private_key"] = key.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = ClientEmail,
            ["client_id"] = "1234567890",
            ["token_uri"] = new Uri(address, "token").ToString(),
        }.ToJsonString());
    }

    public Uri Address { get; }
    public string KeyFile { get; }
    public RequestLog<FcmRequest> Messages { get; } = new();

    /// <summary>Access tokens the token endpoint issued.</summary>
    public int TokensIssued
    {
        get
        {
            lock (_accessTokens) return _accessTokens.Count;
        }
    }

    /// <summary>Answer the next N messages with <see cref="FailStatus"/>.</summary>
    public int FailNext { get => Volatile.Read(ref _failNext); set => Volatile.Write(ref _failNext, value); }

    public int FailStatus { get; set; } = 503;

    /// <summary>Answers 404 UNREGISTERED for this device token from now on.</summary>
    public void Unregister(string token)
    {
        lock (_unregistered) _unregistered.Add(token);
    }

    public static async Task<FakeFcm> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeFcm? fcm = null;
        app.MapPost("/token", (HttpRequest request) => fcm!.TokenAsync(request.HttpContext));
        app.MapPost("/v1/projects/{project}/messages:send", (string project, HttpContext http) => fcm!.SendAsync(project, http));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var folder = Path.Combine(Path.GetTempPath(), "xfactor-tests", "fcm-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        fcm = new FakeFcm(app, RSA.Create(2048), new Uri(address), folder);
        return fcm;
    }

    /// <summary>Configuration that points the voting server's FCM sender here.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Push:Fcm:BaseUrl"] = Address.ToString(),
        ["Push:Fcm:ProjectId"] = ProjectId,
        ["Push:Fcm:ServiceAccountKeyFile"] = KeyFile,
    };

    private async Task<IResult> TokenAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        if (form["grant_type"] != "urn:ietf:params:oauth:grant-type:jwt-bearer" || !ValidAssertion(form["assertion"].ToString()))
            return Results.Json(new { error = "invalid_grant", error_description = "Invalid JWT signature." }, statusCode: 400);
        var token = "ya29.fake-" + Guid.NewGuid().ToString("N");
        lock (_accessTokens) _accessTokens.Add(token);
        return Results.Json(new { access_token = token, expires_in = 3599, token_type = "Bearer" });
    }

    /// <summary>A service-account assertion: RS256 by our key, from our account, for the FCM scope, current.</summary>
    private bool ValidAssertion(string jwt)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3) return false;
        if (!_key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.DecodeFromChars(parts[2]),
                HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            return false;
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        var c = claims.RootElement;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return header.RootElement.GetProperty("alg").GetString() == "RS256"
            && c.GetProperty("iss").GetString() == ClientEmail
            && c.GetProperty("scope").GetString()!.Split(' ').Contains("https://www.googleapis.com/auth/firebase.messaging")
            // Google's audience, whatever token_uri the key names.
            && c.GetProperty("aud").GetString() == "https://oauth2.googleapis.com/token"
            && c.GetProperty("iat").GetInt64() <= now + 60 && c.GetProperty("exp").GetInt64() > now;
    }

    private async Task<IResult> SendAsync(string project, HttpContext http)
    {
        var auth = http.Request.Headers.Authorization.ToString();
        bool authorized;
        lock (_accessTokens) authorized = auth.StartsWith("Bearer ", StringComparison.Ordinal) && _accessTokens.Contains(auth["Bearer ".Length..]);
        using var doc = await JsonDocument.ParseAsync(http.Request.Body);
        var message = doc.RootElement.GetProperty("message");
        var token = message.GetProperty("token").GetString()!;
        bool unregistered;
        lock (_unregistered) unregistered = _unregistered.Contains(token);
        var status = !authorized || project != ProjectId ? 401 : unregistered ? 404 : TakeFailure() ? FailStatus : 200;
        Messages.Add(new FcmRequest(token, message.Clone(), status, DateTimeOffset.UtcNow));
        return status switch
        {
            200 => Results.Json(new { name = $"projects/{ProjectId}/messages/{Guid.NewGuid():N}" }),
            404 => Results.Json(Error(404, "Requested entity was not found.", "NOT_FOUND", "UNREGISTERED"), statusCode: 404),
            401 => Results.Json(Error(401, "Request had invalid authentication credentials.", "UNAUTHENTICATED", null), statusCode: 401),
            _ => Results.Json(Error(status, "The service is currently unavailable.", "UNAVAILABLE", "UNAVAILABLE"), statusCode: status),
        };
    }

    private static object Error(int code, string message, string status, string? errorCode) => new
    {
        error = new
        {
            code,
            message,
            status,
            details = errorCode is null ? Array.Empty<object>() : new object[] { new Dictionary<string, string>
            {
                ["@type"] = "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                ["errorCode"] = errorCode,
            } },
        },
    };

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
        Messages.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>One message FCM received, and how it answered.</summary>
public sealed record FcmRequest(string Token, JsonElement Message, int Status, DateTimeOffset At)
{
    public string? Title => Message.GetProperty("notification").GetProperty("title").GetString();
    public string? Body => Message.GetProperty("notification").GetProperty("body").GetString();

    /// <summary>The data as sent: FCM takes strings only, so anything else fails the test here.</summary>
    public Dictionary<string, string> Data => Message.GetProperty("data").EnumerateObject()
        .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : throw new InvalidOperationException($"data.{p.Name} is not a string"));

    public override string ToString() => $"{Status} FCM to {Token}: {Body}";
}
