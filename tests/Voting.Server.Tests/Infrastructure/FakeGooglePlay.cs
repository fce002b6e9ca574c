using System.Buffers.Text;
using System.Collections.Concurrent;
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
/// Google Play's side of a purchase as a real HTTP server on 127.0.0.1: an OAuth token endpoint for the
/// test's service account (its key made here, its <c>token_uri</c> pointing here), the Android Publisher's
/// <c>purchases.products.get</c> and <c>:consume</c> (only with an issued access token), and the OIDC
/// keys (JWKS) of the tokens Pub/Sub push would carry, with <see cref="MintPushToken"/> to sign one.
/// </summary>
public sealed class FakeGooglePlay : IAsyncDisposable
{
    public const string PackageName = "com.hangmeas.xfactor";
    public const string Audience = "https://xfactor.example/webhooks/googleplay";
    public const string PushAccount = "rtdn@xfactor-test.iam.gserviceaccount.com";

    private readonly WebApplication _app;
    private readonly RSA _accountKey = RSA.Create(2048);
    private readonly RSA _oidcKey = RSA.Create(2048);
    private readonly string _folder;
    private readonly ConcurrentDictionary<string, JsonObject> _purchases = new();
    private readonly ConcurrentDictionary<string, byte> _accessTokens = new();
    private readonly ConcurrentQueue<string> _voided = new();
    private int _failNext;

    private FakeGooglePlay(WebApplication app, Uri address, string folder)
    {
        _app = app;
        Address = address;
        _folder = folder;
        KeyFile = Path.Combine(folder, "play-service-account.json");
        File.WriteAllText(KeyFile, new JsonObject
        {
            ["type"] = "service_account",
            ["project_id"] = "xfactor-test",
            ["private_key_id"] = "play-key-1",
            ["private_key"] = _accountKey.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = "play@xfactor-test.iam.gserviceaccount.com",
            ["client_id"] = "42",
            ["token_uri"] = new Uri(address, "token").ToString(),
        }.ToJsonString());
    }

    public Uri Address { get; }
    public string KeyFile { get; }

    /// <summary>Every products.get and :consume received: (verb, token, status answered).</summary>
    public RequestLog<(string Verb, string Token, int Status)> Calls { get; } = new();

    /// <summary>Answer the next N purchase calls with <see cref="FailStatus"/>.</summary>
    public int FailNext { get => Volatile.Read(ref _failNext); set => Volatile.Write(ref _failNext, value); }

    public int FailStatus { get; set; } = 500;

    public static async Task<FakeGooglePlay> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder(["--urls", "http://127.0.0.1:0"]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeGooglePlay? play = null;
        app.MapPost("/token", (HttpRequest request) => play!.TokenAsync(request.HttpContext));
        app.MapGet("/androidpublisher/v3/applications/{app}/purchases/products/{product}/tokens/{token}",
            (string app, string product, string token, HttpContext http) => play!.Get(app, product, token, http));
        app.MapPost("/androidpublisher/v3/applications/{app}/purchases/products/{product}/tokens/{token}:consume",
            (string app, string product, string token, HttpContext http) => play!.Consume(app, product, token, http));
        app.MapGet("/androidpublisher/v3/applications/{app}/purchases/voidedpurchases", (string app, HttpContext http) => play!.Voided(app, http));
        app.MapGet("/oidc/certs", () => play!.Jwks());
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var folder = Path.Combine(Path.GetTempPath(), "xfactor-tests", "play-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        play = new FakeGooglePlay(app, new Uri(address), folder);
        return play;
    }

    /// <summary>Configuration that points the voting server's Google Play client and push check here.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["Purchases:Google:PackageName"] = PackageName,
        ["Purchases:Google:ApiBaseUrl"] = Address.ToString(),
        ["Purchases:Google:ServiceAccountKeyFile"] = KeyFile,
        ["Purchases:Google:TimeoutSeconds"] = "3",
        ["Purchases:Google:PushAudience"] = Audience,
        ["Purchases:Google:PushServiceAccount"] = PushAccount,
        ["Purchases:Google:PushCertificatesUrl"] = new Uri(Address, "oidc/certs").ToString(),
    };

    /// <summary>A purchase Google knows, as purchases.products.get answers it; returns the purchase token.</summary>
    public string AddPurchase(string productId, string? accountToken, int purchaseState = 0, int? purchaseType = null, int quantity = 1,
        string? orderId = null, string? token = null)
    {
        token ??= "tok-" + Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N");
        var p = new JsonObject
        {
            ["kind"] = "androidpublisher#productPurchase",
            ["purchaseTimeMillis"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["purchaseState"] = purchaseState,
            ["consumptionState"] = 0,
            ["orderId"] = orderId ?? $"GPA.{Random.Shared.Next(1000, 9999)}-{Random.Shared.Next(1000, 9999)}-{Random.Shared.Next(1000, 9999)}-{Random.Shared.Next(10000, 99999)}",
            ["acknowledgementState"] = 0,
            ["productId"] = productId,
            ["quantity"] = quantity,
            ["regionCode"] = "KH",
        };
        if (accountToken is not null) p["obfuscatedExternalAccountId"] = accountToken;
        if (purchaseType is { } t) p["purchaseType"] = t;
        _purchases[token] = p;
        return token;
    }

    /// <summary>Google refunds the purchase: it appears in the voided-purchases list (one entry per page, to make readers page).</summary>
    public void Void(string token) => _voided.Enqueue(token);

    public string OrderIdOf(string token) => _purchases[token]["orderId"]!.GetValue<string>();

    /// <summary>An OIDC token as Pub/Sub push sends it, signed by this server's key unless another is given.</summary>
    public string MintPushToken(string audience = Audience, string email = PushAccount, TimeSpan? lifetime = null, RSA? signWith = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new JsonObject { ["alg"] = "RS256", ["kid"] = "oidc-1", ["typ"] = "JWT" };
        var claims = new JsonObject
        {
            ["iss"] = "https://accounts.google.com",
            ["aud"] = audience,
            ["sub"] = "1122334455",
            ["email"] = email,
            ["email_verified"] = true,
            ["iat"] = now - 5,
            ["exp"] = now + (long)(lifetime ?? TimeSpan.FromHours(1)).TotalSeconds,
        };
        var signing = $"{B64(header.ToJsonString())}.{B64(claims.ToJsonString())}";
        var signature = (signWith ?? _oidcKey).SignData(Encoding.ASCII.GetBytes(signing), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signing}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>A Pub/Sub push body carrying a voidedPurchaseNotification for the token.</summary>
    public static string VoidedPush(string token, string orderId, string? messageId = null, string packageName = PackageName)
    {
        var rtdn = new JsonObject
        {
            ["version"] = "1.0",
            ["packageName"] = packageName,
            ["eventTimeMillis"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["voidedPurchaseNotification"] = new JsonObject { ["purchaseToken"] = token, ["orderId"] = orderId, ["productType"] = 2, ["refundType"] = 1 },
        };
        return new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(rtdn.ToJsonString())),
                ["messageId"] = messageId ?? Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["publishTime"] = DateTimeOffset.UtcNow.ToString("O"),
            },
            ["subscription"] = "projects/xfactor-test/subscriptions/play-rtdn",
        }.ToJsonString();
    }

    private static string B64(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    private async Task<IResult> TokenAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        var parts = form["assertion"].ToString().Split('.');
        var valid = form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer" && parts.Length == 3
            && _accountKey.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            && JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement.GetProperty("scope").GetString()!.Contains("androidpublisher", StringComparison.Ordinal);
        if (!valid) return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
        var token = "ya29.play-" + Guid.NewGuid().ToString("N");
        _accessTokens[token] = 0;
        return Results.Json(new { access_token = token, expires_in = 3599, token_type = "Bearer" });
    }

    private bool Authorized(HttpContext http)
    {
        var auth = http.Request.Headers.Authorization.ToString();
        return auth.StartsWith("Bearer ", StringComparison.Ordinal) && _accessTokens.ContainsKey(auth["Bearer ".Length..]);
    }

    private IResult Get(string app, string product, string token, HttpContext http)
    {
        var status = !Authorized(http) ? 401 : TakeFailure() ? FailStatus
            : app != PackageName || !_purchases.TryGetValue(token, out var p) || p["productId"]!.GetValue<string>() != product ? 404 : 200;
        Calls.Add(("get", token, status));
        return status == 200 ? Results.Text(_purchases[token].ToJsonString(), "application/json") : Results.Json(new { error = new { code = status } }, statusCode: status);
    }

    private IResult Consume(string app, string product, string token, HttpContext http)
    {
        var status = !Authorized(http) ? 401 : TakeFailure() ? FailStatus : app != PackageName || !_purchases.TryGetValue(token, out var p) ? 404 : 200;
        if (status == 200) _purchases[token]["consumptionState"] = 1;
        Calls.Add(("consume", token, status));
        return status == 200 ? Results.Text("", "application/json") : Results.Json(new { error = new { code = status } }, statusCode: status);
    }

    private IResult Voided(string app, HttpContext http)
    {
        if (!Authorized(http) || app != PackageName) return Results.Json(new { error = new { code = 401 } }, statusCode: 401);
        var all = _voided.ToArray();
        var at = int.TryParse(http.Request.Query["token"], out var i) ? i : 0;
        Calls.Add(("voided", at.ToString(System.Globalization.CultureInfo.InvariantCulture), 200));
        var page = all.Skip(at).Take(1).Select(t => new
        {
            kind = "androidpublisher#voidedPurchase",
            purchaseToken = t,
            orderId = OrderIdOf(t),
            voidedTimeMillis = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            voidedSource = 1,
            voidedReason = 1,
        }).ToArray();
        return at + 1 < all.Length
            ? Results.Json(new { voidedPurchases = page, tokenPagination = new { nextPageToken = (at + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) } })
            : Results.Json(new { voidedPurchases = page });
    }

    private IResult Jwks()
    {
        var k = _oidcKey.ExportParameters(false);
        return Results.Json(new
        {
            keys = new[] { new { kty = "RSA", alg = "RS256", use = "sig", kid = "oidc-1", n = Base64Url.EncodeToString(k.Modulus), e = Base64Url.EncodeToString(k.Exponent) } },
        });
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
        _accountKey.Dispose();
        _oidcKey.Dispose();
        Calls.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
