using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Voting.Server.Tests.Infrastructure;

/// <summary>
/// The real voting host on Kestrel at 127.0.0.1 on a free port, over a fresh database; tests
/// talk to it over real HTTP.
/// </summary>
public sealed class VotingTestServer : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789";
    public const string SigningKey = "test-signing-key-0123456789abcdef0123456789";
    public const string SignalSecret = "test-broadcast-secret";

    private readonly WebApplication _app;
    private readonly bool _ownsDatabase;

    private VotingTestServer(WebApplication app, TestDatabase db, Uri address, bool ownsDatabase, ErrorLog errors)
    {
        Errors = errors;
        _app = app;
        _ownsDatabase = ownsDatabase;
        Database = db;
        Address = address;
        Client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        Api = new ApiDriver(Client, errors);
    }

    public TestDatabase Database { get; }
    public Uri Address { get; }
    public HttpClient Client { get; }
    public ApiDriver Api { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>Errors the host logged, exceptions included.</summary>
    public ErrorLog Errors { get; }

    public static async Task<VotingTestServer> StartAsync(StoreKind kind, TimeProvider? time = null,
        IDictionary<string, string?>? settings = null, TestDatabase? database = null, string environment = "Development")
    {
        var db = database ?? await TestDatabase.CreateAsync(kind);
        var config = Settings(db);
        foreach (var kv in settings ?? new Dictionary<string, string?>()) config[kv.Key] = kv.Value;
        var errors = new ErrorLog();
        var app = VotingApp.Build(["--environment", environment, "--urls", "http://127.0.0.1:0"], b =>
        {
            b.Configuration.AddInMemoryCollection(config);
            b.Logging.AddProvider(errors);
            if (time is not null) b.Services.AddSingleton(time);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new VotingTestServer(app, db, new Uri(address), database is null, errors);
    }

    /// <summary>The configuration every test server starts with, on <paramref name="db"/>.</summary>
    public static Dictionary<string, string?> Settings(TestDatabase db) => new()
    {
        ["Storage:Provider"] = db.Provider,
        ["ConnectionStrings:Voting"] = db.ConnectionString,
        ["Demo:Enabled"] = "false",
        ["Admin:ApiKey"] = AdminKey,
        ["Auth:SigningKey"] = SigningKey,
        ["Broadcast:SigningSecret"] = SignalSecret,
        // Tests sign in thousands of voters from one address and number block; the limits have tests of their own.
        ["Auth:CodesPerIpPerHour"] = "1000000",
        ["Auth:CodesPerPrefixPerHour"] = "1000000",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore.DataProtection"] = "Error",
    };

    /// <summary>Stops the host as SIGTERM would (graceful), keeping the database.</summary>
    public async Task StopAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            await _app.StopAsync();
        }
        catch (ObjectDisposedException)
        {
        }
        await _app.DisposeAsync();
        if (_ownsDatabase) await Database.DisposeAsync();
    }
}
