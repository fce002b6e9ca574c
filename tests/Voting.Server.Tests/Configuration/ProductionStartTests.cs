using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Configuration;

/// <summary>A real server process in Production: what it refuses to go on air with, and what it starts with.</summary>
public sealed class ProductionStartTests
{
    /// <summary>Environment variables that make a Production server acceptable, over ServerProcess's own (admin key, signing key, broadcast secret).</summary>
    private static Dictionary<string, string> Production(params (string Key, string Value)[] overrides)
    {
        var settings = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" };
        foreach (var (key, value) in overrides) settings[key] = value;
        return settings;
    }

    [Theory]
    [InlineData("Admin__ApiKey", "", "Admin:ApiKey")]
    [InlineData("Auth__SigningKey", "", "Auth:SigningKey")]
    [InlineData("Auth__ReturnDevCode", "true", "Auth:ReturnDevCode")]
    [InlineData("Purchases__TestStore__Enabled", "true", "Purchases:TestStore:Enabled")]
    [InlineData("Demo__Enabled", "true", "Demo:Enabled")]
    [InlineData("Sms__Smart__Secret", "smart-webhook-secret", "Sms:Smart:OutboundUrl")]
    [InlineData("Sms__Cellcard__ApiToken", "cellcard-token", "Sms:Cellcard:OutboundUrl")]
    [InlineData("Sms__Metfone__ApiKey", "metfone-key", "Sms:Metfone:OutboundUrl")]
    public async Task AProductionServerRefusesToStartWithOneLineNamingTheKey(string variable, string value, string key)
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);

        var (exitCode, output) = await ServerProcess.RunUntilExitAsync(db, Production((variable, value)));

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("The server cannot start:", line, StringComparison.Ordinal);
        Assert.Contains(key, line, StringComparison.Ordinal);
        if (value is not ("" or "true")) Assert.DoesNotContain(value, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACarrierWithAWebhookCredentialAndAnOutboundUrlOrSwitchedOffMayGoOnAir()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);
        await using var server = await ServerProcess.StartAsync(db, Production(
            ("Sms__Smart__Secret", "smart-webhook-secret"), ("Sms__Smart__OutboundUrl", "http://127.0.0.1:9/sms"),
            ("Sms__Metfone__ApiKey", "metfone-key"), ("Sms__Metfone__Enabled", "false")));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/sms/metfone") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer metfone-key");
        using var answer = await server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
    }

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task AProductionServerSeedsNoDemoDataAndReturnsNoSignInCode(StoreKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        await using var server = await ServerProcess.StartAsync(db, Production(("Demo__Enabled", "")));

        using var current = await server.Client.GetAsync("/api/v1/xfactor/voting/current_episode");
        Assert.Equal(HttpStatusCode.NotFound, current.StatusCode);
        Assert.Equal(0, await db.CountRowsAsync("seasons"));
        Assert.Equal(0, await db.CountRowsAsync("contestants"));

        using var otp = await server.Client.PostAsJsonAsync("/api/v1/auth/otp", new { phone_number = "012345678" });
        Assert.Equal(HttpStatusCode.OK, otp.StatusCode);
        using var body = JsonDocument.Parse(await otp.Content.ReadAsStringAsync());
        Assert.False(body.RootElement.GetProperty("data").TryGetProperty("dev_code", out var code) && code.ValueKind != JsonValueKind.Null);
    }
}
