using System.Net;
using Voting.Domain;
using Voting.Server.Auth;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Purchases;

/// <summary>After a purchase commits, each of the voter's devices gets one confirmation, through the outbox; a repeat of the purchase sends none.</summary>
public abstract class PurchaseConfirmationTests(StoreKind kind)
{
    [Fact]
    public async Task A_credited_purchase_notifies_the_voters_devices_once()
    {
        await using var host = await PushTestHost.StartAsync(kind);
        var api = host.Api;
        var voter = await api.SignInAsync();
        await host.RegisterNewAsync(voter.Token, "fcm", "phone-" + voter.UserId);
        var package = await api.PostAsync("/api/v1/admin/vote_packages", new { name = "60 Votes", vote_count = 50, bonus_votes = 10, price = 3.99m }, admin: true);
        var body = new { platform = "test", package_id = package.Data.GetProperty("id").GetInt64() };
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "p-1" };

        var bought = await api.PostAsync("/api/v1/xfactor/purchases", body, voter.Token, headers: headers);
        var again = await api.PostAsync("/api/v1/xfactor/purchases", body, voter.Token, headers: headers);

        Assert.Equal(HttpStatusCode.OK, bought.Status);
        Assert.True(again.Data.GetProperty("duplicate").GetBoolean());
        var sent = await host.Fcm.Messages.WaitForAsync(m => m.Data["type"] == "purchase_confirmation", what: "a purchase confirmation");
        var message = Assert.Single(sent);
        Assert.Equal("phone-" + voter.UserId, message.Token);
        Assert.Equal("60", message.Data["vote_count"]);
        Assert.Equal(bought.Data.GetProperty("purchase_id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), message.Data["purchase_id"]);
        Assert.Contains("60 votes", message.Body, StringComparison.Ordinal);
        await Task.Delay(1500);
        Assert.Single(host.Fcm.Messages.Items, m => m.Data["type"] == "purchase_confirmation");
    }

    [Fact]
    public async Task The_test_store_is_not_found_in_production()
    {
        await using var server = await VotingTestServer.StartAsync(kind, environment: "Production");
        var voter = await SignInAsync(server);
        var package = await server.Api.PostAsync("/api/v1/admin/vote_packages", new { name = "10 Votes", vote_count = 10, price = 0.99m }, admin: true);

        var refused = await server.Api.PostAsync("/api/v1/xfactor/purchases",
            new { platform = "test", package_id = package.Data.GetProperty("id").GetInt64() }, voter.Token);

        Assert.Equal(HttpStatusCode.NotFound, refused.Status);
        Assert.Equal("NOT_FOUND", refused.ErrorCode);
        Assert.Equal(0, (await server.Api.BalanceAsync(voter.Token)).GetProperty("balance").GetInt64());
    }

    /// <summary>Production returns no sign-in code: the voter is written to the store and given a token the server's key signs.</summary>
    private static async Task<SignedIn> SignInAsync(VotingTestServer server)
    {
        var phone = ApiDriver.NewPhone();
        var id = Convert.ToInt64((await server.Database.QueryAsync(
            "INSERT INTO voters (phone, phone_verified_at, created_at) VALUES ($1, 1, 1) RETURNING id", phone))[0][0]);
        var token = server.Services.GetRequiredService<TokenService>().Issue(new VoterId(id));
        return new SignedIn(token, id, phone);
    }
}

public sealed class SqlitePurchaseConfirmationTests() : PurchaseConfirmationTests(StoreKind.Sqlite);

public sealed class PostgresPurchaseConfirmationTests() : PurchaseConfirmationTests(StoreKind.Postgres);
