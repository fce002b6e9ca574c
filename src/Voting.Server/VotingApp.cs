using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Voting.Server.Admin;
using Voting.Server.Analytics;
using Voting.Server.ApiDocs;
using Voting.Server.Audit;
using Voting.Server.Auth;
using Voting.Server.Demo;
using Voting.Server.Fraud;
using Voting.Server.Export;
using Voting.Server.Infrastructure;
using Voting.Server.Live;
using Voting.Server.LivePage;
using Voting.Server.Metrics;
using Voting.Server.Outbox;
using Voting.Server.Profile;
using Voting.Server.Purchases;
using Voting.Server.Push;
using Voting.Server.Show;
using Voting.Server.Sms;
using Voting.Server.Voids;
using Voting.Server.Voting;
using Voting.Server.WebApp;
using Voting.Storage;

namespace Voting.Server;

/// <summary>The composition root: services, middleware and endpoint groups of the voting host.</summary>
public static class VotingApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        AddServices(builder);
        var app = builder.Build();
        // Refused configuration stops here, before anything is logged (the host would log it again as a failed start).
        app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        UsePipeline(app);
        return app;
    }

    private static void AddServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        var isDev = builder.Environment.IsDevelopment();

        services.TryAddSingletonTimeProvider();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower;
            // Khmer as written, not as \u escapes (HTML-sensitive characters stay escaped).
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
            // The web defaults read "5" as the number 5; the contract calls a quoted number a wrong type.
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
        });

        services.AddVotingStorage(config);
        services.AddSmsPrices();

        services.AddValidatedOptions<AuthOptions>("Auth")
            .Validate(o => isDev || !string.IsNullOrEmpty(o.SigningKey), "Auth:SigningKey must be configured outside Development")
            .Validate(o => string.IsNullOrEmpty(o.SigningKey) || System.Text.Encoding.UTF8.GetByteCount(o.SigningKey) >= 32,
                "Auth:SigningKey must be at least 32 bytes");
        services.AddValidatedOptions<AdminOptions>("Admin").ValidateRule(o => o.Problem(isDev));
        services.AddValidatedOptions<DemoOptions>("Demo");
        services.AddValidatedOptions<VoteWriterOptions>("VoteWriter");
        services.AddValidatedOptions<VotingOptions>("Voting");
        services.AddKnownProxies();

        services.AddSingleton<SigningKeys>();
        services.AddSingleton<TokenService>();
        services.AddSingleton<SignInLimits>();
        services.AddSingleton<TokenCache>();
        services.AddSingleton<StartupNotes>();
        services.AddSingleton<ShutdownGate>();
        services.AddSingleton<IdempotencyGate>();
        services.AddSingleton<ResultsReader>();
        services.AddSingleton<ApiKeyFilter>();
        services.AddSingleton<OperatorAudit>();
        // Before the server listens, in this order: migrations, then what needs the migrated store.
        services.AddHostedService<StoreStartup>();
        services.AddHostedService<SigningKeyStartup>();
        services.AddHostedService<DemoStartup>();
        if (isDev) services.AddHostedService<DevelopmentSecrets>();
        services.AddSingleton<VoteWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<VoteWriter>());
        services.AddSmsVoting();
        services.AddProductionRules(builder.Environment);
        services.AddPushNotifications();
        services.AddPurchases();
        services.AddFraud();
        services.AddOutbox();
        AddLiveShow(services);

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = TokenService.Issuer,
                ValidAudience = TokenService.Audience,
                ValidateIssuerSigningKey = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = "sub",
            };
            o.Events = new JwtBearerEvents
            {
                OnChallenge = ctx =>
                {
                    ctx.HandleResponse();
                    return Api.WriteErrorAsync(ctx.HttpContext, StatusCodes.Status401Unauthorized, "UNAUTHORIZED",
                        ctx.AuthenticateFailure is null ? "Authentication required" : "Invalid or expired token");
                },
            };
        });
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<SigningKeys, TokenCache>((o, keys, cache) =>
        {
            o.TokenValidationParameters.IssuerSigningKeyResolver = (_, _, _, _) => [keys.Key];
            cache.Attach(o.Events);
        });
        services.AddAuthorization();
        services.AddVotingRateLimits();
        services.AddApiDocs();
        services.AddVotingMetrics(config);
    }

    /// <summary>The show's state machine and clock, and the push channels (WebSocket, SSE, and notices between nodes).</summary>
    private static void AddLiveShow(IServiceCollection services)
    {
        services.AddValidatedOptions<LiveOptions>("Live");
        services.AddValidatedOptions<BroadcastOptions>("Broadcast");
        services.AddValidatedOptions<ShowClockOptions>("Show");
        services.AddSingleton<ShowService>();
        services.AddSingleton<LiveHub>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveHub>());
        services.AddSingleton<ShowClock>();
        services.AddHostedService(sp => sp.GetRequiredService<ShowClock>());
        services.AddHostedService<LiveWiring>();
        services.AddHostedService<NodeBridge>();
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }

    private static void UsePipeline(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Voting.Server");
        var notes = app.Services.GetRequiredService<StartupNotes>();
        var operators = app.Services.GetRequiredService<IOptions<AdminOptions>>().Value.Operators();
        if (operators.Count > 0) Log.Operators(logger, string.Join(", ", operators.Select(o => o.Name)));
        else if (app.Environment.IsDevelopment())
            notes.Warn($"Admin:ApiKey is not configured: the operators' key is '{AdminOptions.DevelopmentKey}', named '{AdminOptions.SingleKeyName}' (Development)");
        var gate = app.Services.GetRequiredService<ShutdownGate>();
        app.Lifetime.ApplicationStopping.Register(gate.Close);
        app.Lifetime.ApplicationStopping.Register(app.Services.GetRequiredService<LiveHub>().CloseAll);
        if (string.IsNullOrEmpty(app.Services.GetRequiredService<IOptions<BroadcastOptions>>().Value.SigningSecret) && !app.Environment.IsDevelopment())
            notes.Warn("Broadcast:SigningSecret is not configured: every broadcast signal is refused");
        notes.TryIt("the open episode, the API's description, the live results page", url =>
            $"curl {url}/api/v1/xfactor/voting/current_episode{Environment.NewLine}curl {url}/openapi/v1.json{Environment.NewLine}open {url}/live/1");
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            // After every hosted service started, so each feature's notes are in.
            if (notes.Warnings() is { } warnings) Log.StartupWarnings(logger, notes.WarningCount, warnings);
            if (app.Urls.FirstOrDefault() is { } url && notes.TryItCommands(url) is { } commands) Log.TryIt(logger, commands);
        });

        app.UseKnownProxies();
        app.UseExceptionHandler(handler => handler.Run(ctx =>
        {
            var error = ctx.Features.Get<IExceptionHandlerFeature>()?.Error;
            if (error is BadHttpRequestException bad)
                return Api.WriteErrorAsync(ctx, bad.StatusCode, "INVALID_REQUEST", bad.Message);
            if (error is not null) Log.Unhandled(logger, error, ctx.Request.Path);
            return Api.WriteErrorAsync(ctx, StatusCodes.Status500InternalServerError, "INTERNAL_ERROR", "Internal error");
        }));
        app.UseWebSockets(new WebSocketOptions
        {
            KeepAliveInterval = TimeSpan.FromSeconds(app.Services.GetRequiredService<IOptions<LiveOptions>>().Value.KeepAliveSeconds),
            KeepAliveTimeout = TimeSpan.FromSeconds(2 * app.Services.GetRequiredService<IOptions<LiveOptions>>().Value.KeepAliveSeconds),
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapGet("/health", async (IStoreHealth store, CancellationToken ct) =>
        {
            await store.PingAsync(ct);
            return TypedResults.Json(new HealthDto("ok"));
        }).Produces<HealthDto>();
        app.MapApiDocs();
        app.MapAuthApi();
        app.MapVotingApi();
        app.MapAdminApi();
        app.MapOperatorReadsApi();
        app.MapOperatorShowApi();
        app.MapVoidApi();
        app.MapExportApi();
        app.MapAuditLogApi();
        app.MapSmsWebhooks();
        app.MapSmsAdminApi();
        app.MapOutboxAdminApi();
        app.MapPushApi();
        app.MapProfileApi();
        app.MapPurchaseApi();
        app.MapPurchaseAdminApi();
        app.MapAnalyticsApi();
        app.MapStoreNotificationApi();
        app.MapFraudAdminApi();
        app.MapShowApi();
        app.MapLiveApi();
        app.MapLivePage();
        app.MapWebApp();
        app.MapVotingMetrics();
    }
}
