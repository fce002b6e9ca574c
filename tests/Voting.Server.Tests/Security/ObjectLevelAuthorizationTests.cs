using System.Net;
using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Security;

/// <summary>
/// OWASP API1 (broken object-level authorization): every viewer route works on the caller's own
/// voter, whatever ids a request names. A second voter, Bob, tries to read and change Alice's data
/// through each route; he sees and changes only his own.
/// </summary>
public abstract class ObjectLevelAuthorizationTests(StoreKind kind) : IAsyncLifetime, IDisposable
{
    private readonly AppleTestCa _apple = new();
    private FakeGooglePlay _play = null!;
    private VotingTestServer _server = null!;
    private string _rootFile = "";
    private SignedIn _alice = null!;
    private SignedIn _bob = null!;

    private ApiDriver Api => _server.Api;

    public async Task InitializeAsync()
    {
        _play = await FakeGooglePlay.StartAsync();
        _rootFile = Path.Combine(Path.GetTempPath(), "xfactor-tests", $"apple-root-{Guid.NewGuid():N}.pem");
        Directory.CreateDirectory(Path.GetDirectoryName(_rootFile)!);
        await File.WriteAllTextAsync(_rootFile, _apple.RootCertificate.ExportCertificatePem());
        var settings = _play.Settings();
        settings["Purchases:Apple:BundleId"] = AppleTestCa.BundleId;
        settings["Purchases:Apple:Environment"] = "Sandbox";
        settings["Purchases:Apple:RootCertificates:0"] = _rootFile;
        _server = await VotingTestServer.StartAsync(kind, settings: settings);
        _alice = await Api.SignInAsync();
        _bob = await Api.SignInAsync();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _play.DisposeAsync();
        File.Delete(_rootFile);
    }

    public void Dispose()
    {
        _apple.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<JsonElement> MeAsync(SignedIn voter, string query = "")
    {
        var me = await Api.GetAsync($"/api/v1/me{query}", voter.Token);
        Assert.Equal(HttpStatusCode.OK, me.Status);
        return me.Data;
    }

    [Fact]
    public async Task TheProfileRoutesReadAndChangeOnlyTheCallersProfile()
    {
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Patch, "/api/v1/me", """{"display_name":"Alice"}""", _alice.Token)).Status);
        var alice = await MeAsync(_alice);

        var seen = await MeAsync(_bob, $"?user_id={_alice.UserId}&id={_alice.UserId}");
        var patched = await Api.SendAsync(HttpMethod.Patch, $"/api/v1/me?user_id={_alice.UserId}",
            $$"""{"user_id":{{_alice.UserId}},"id":{{_alice.UserId}},"phone_number":"{{_alice.Phone}}","display_name":"Mallory"}""", _bob.Token);

        Assert.Equal((_bob.UserId, _bob.Phone), (seen.GetProperty("user_id").GetInt64(), seen.GetProperty("phone_number").GetString()));
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("display_name").ValueKind);
        Assert.NotEqual(alice.GetProperty("account_token").GetString(), seen.GetProperty("account_token").GetString());
        Assert.Equal(HttpStatusCode.OK, patched.Status);
        Assert.Equal((_bob.UserId, "Mallory"), (patched.Data.GetProperty("user_id").GetInt64(), patched.Data.GetProperty("display_name").GetString()));
        Assert.Equal(alice.ToString(), (await MeAsync(_alice)).ToString());
    }

    [Fact]
    public async Task AnotherVotersPushTokenCannotBeRemoved()
    {
        const string token = "alices-phone-fcm-token";
        Assert.Equal(HttpStatusCode.Created, (await Api.PostAsync("/api/v1/me/push_tokens", new { platform = "fcm", token }, _alice.Token)).Status);

        var removed = await Api.SendAsync(HttpMethod.Delete, $"/api/v1/me/push_tokens/{token}", token: _bob.Token);

        ApiAssert.Error(removed, 404, "PUSH_TOKEN_NOT_FOUND");
        Assert.Equal(_alice.UserId, await _server.Database.CountAsync("SELECT voter_id FROM push_tokens WHERE token = $1", token));
    }

    [Fact]
    public async Task VotesHistoryAndBalanceAreTheCallersOwnWhateverTheRequestNames()
    {
        var e = await Api.OpenEpisodeAsync();
        await Api.CreditAsync(_alice.UserId, 10);
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = "same-key" };
        var alicesVote = await Api.PostAsync(ApiDriver.CastVotePath, new { contestant_id = e.Contestants[0], vote_type = "free", vote_count = 2 }, _alice.Token, headers: key);
        var aliceBefore = await Api.BalanceAsync(_alice.Token);
        var aliceHistory = (await Api.GetAsync("/api/v1/xfactor/voting/history", _alice.Token)).Body.ToString();

        // Bob names Alice in the body, and reuses her Idempotency-Key with her exact body.
        var named = await Api.CastRawAsync(_bob.Token,
            $$"""{"contestant_id":{{e.Contestants[1]}},"vote_type":"paid","vote_count":1,"user_id":{{_alice.UserId}},"voter_id":{{_alice.UserId}}}""");
        var sameKey = await Api.PostAsync(ApiDriver.CastVotePath, new { contestant_id = e.Contestants[0], vote_type = "free", vote_count = 2 }, _bob.Token, headers: key);
        var history = await Api.GetAsync($"/api/v1/xfactor/voting/history?user_id={_alice.UserId}&voter_id={_alice.UserId}", _bob.Token);
        var balance = await Api.GetAsync($"/api/v1/xfactor/voting/vote_balance?user_id={_alice.UserId}", _bob.Token);

        ApiAssert.Error(named, 422, "INSUFFICIENT_VOTE_BALANCE"); // Bob's wallet is empty; Alice's 10 are not his
        Assert.Equal(HttpStatusCode.OK, sameKey.Status);
        Assert.NotEqual(alicesVote.Data.GetProperty("vote_id").GetInt64(), sameKey.Data.GetProperty("vote_id").GetInt64());
        var bobsVotes = history.Data.GetProperty("votes").EnumerateArray().ToList();
        Assert.Equal(sameKey.Data.GetProperty("vote_id").GetInt64(), Assert.Single(bobsVotes).GetProperty("id").GetInt64());
        Assert.Equal(0, balance.Data.GetProperty("balance").GetInt64());
        Assert.Equal(aliceBefore.ToString(), (await Api.BalanceAsync(_alice.Token)).ToString());
        Assert.Equal(aliceHistory, (await Api.GetAsync("/api/v1/xfactor/voting/history", _alice.Token)).Body.ToString());
    }

    [Fact]
    public async Task AnotherVotersReceiptsCreditNothing()
    {
        var package = await Api.CreateAsync("/api/v1/admin/vote_packages",
            new { name = "60 Votes", vote_count = 50, bonus_votes = 10, price = 3.99m, ios_product_id = "com.hangmeas.votes.50", android_product_id = "votes_50" });
        var account = Guid.Parse((await MeAsync(_alice)).GetProperty("account_token").GetString()!);
        var credited = _apple.Sign(AppleTestCa.TransactionPayload("com.hangmeas.votes.50", 1, account));
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = "test-receipt" };
        var bought = await Api.PostAsync("/api/v1/xfactor/purchases", new { platform = "ios", signed_transaction = credited }, _alice.Token);
        var boughtInTest = await Api.PostAsync("/api/v1/xfactor/purchases", new { platform = "test", package_id = package }, _alice.Token, headers: key);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (bought.Status, boughtInTest.Status));
        var aliceBefore = await Api.BalanceAsync(_alice.Token);

        var stolen = await Api.PostAsync("/api/v1/xfactor/purchases", new { platform = "ios", signed_transaction = credited }, _bob.Token);
        var unspent = await Api.PostAsync("/api/v1/xfactor/purchases",
            new { platform = "ios", signed_transaction = _apple.Sign(AppleTestCa.TransactionPayload("com.hangmeas.votes.50", 1, account)) }, _bob.Token);
        var google = await Api.PostAsync("/api/v1/xfactor/purchases",
            new { platform = "android", product_id = "votes_50", purchase_token = _play.AddPurchase("votes_50", account.ToString()) }, _bob.Token);
        var sameTestKey = await Api.PostAsync("/api/v1/xfactor/purchases", new { platform = "test", package_id = package }, _bob.Token, headers: key);

        ApiAssert.Error(stolen, 409, "RECEIPT_ALREADY_USED");
        ApiAssert.Error(unspent, 422, "RECEIPT_ACCOUNT_MISMATCH");
        ApiAssert.Error(google, 422, "RECEIPT_ACCOUNT_MISMATCH");
        // The test store's receipt is the key, per voter: Bob's is his own purchase, not Alice's answer.
        Assert.Equal(HttpStatusCode.OK, sameTestKey.Status);
        Assert.False(sameTestKey.Data.GetProperty("duplicate").GetBoolean());
        Assert.NotEqual(boughtInTest.Data.GetProperty("purchase_id").GetInt64(), sameTestKey.Data.GetProperty("purchase_id").GetInt64());
        Assert.Equal(aliceBefore.ToString(), (await Api.BalanceAsync(_alice.Token)).ToString());
        var bob = await Api.BalanceAsync(_bob.Token);
        Assert.Equal(60, bob.GetProperty("balance").GetInt64());
        Assert.Single(bob.GetProperty("recent_purchases").EnumerateArray());
    }
}

public sealed class SqliteObjectLevelAuthorizationTests() : ObjectLevelAuthorizationTests(StoreKind.Sqlite);

public sealed class PostgresObjectLevelAuthorizationTests() : ObjectLevelAuthorizationTests(StoreKind.Postgres);
