using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;
using Voting.Server;

namespace Voting.Client.Tests;

/// <summary>The real voting host on Kestrel at 127.0.0.1 on a free port over a fresh SQLite database, for the generated client.</summary>
public sealed class ClientServer : IAsyncDisposable
{
    public const string AdminKey = "client-test-admin-key";
    private readonly WebApplication _app;
    private readonly TestDatabase _db;
    private readonly HttpClient _http = new();

    private ClientServer(WebApplication app, TestDatabase db, string address)
    {
        _app = app;
        _db = db;
        Address = address;
    }

    public string Address { get; }

    public static async Task<ClientServer> StartAsync()
    {
        var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);
        var app = VotingApp.Build(["--environment", "Development", "--urls", "http://127.0.0.1:0"], b => b.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>
            {
                ["Storage:Provider"] = db.Provider,
                ["ConnectionStrings:Voting"] = db.ConnectionString,
                ["Demo:Enabled"] = "false",
                ["Admin:ApiKey"] = AdminKey,
                ["Auth:SigningKey"] = "client-test-signing-key-0123456789abcdef",
                ["Logging:LogLevel:Default"] = "Warning",
            }));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ClientServer(app, db, address);
    }

    /// <summary>A generated client pointed at this server, authenticating with <paramref name="auth"/>.</summary>
    public XFactorClient Client(IAuthenticationProvider auth) =>
        new(new HttpClientRequestAdapter(auth, httpClient: _http) { BaseUrl = Address.TrimEnd('/') });

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _db.DisposeAsync();
    }
}
