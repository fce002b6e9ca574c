using System.Net;
using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Purchases;

/// <summary>
/// Vote packages bought over real HTTP: StoreKit 2 receipts signed by a chain the test makes (the
/// server trusts only its root), Google Play as a local fake, the test store; every refusal leaves the
/// wallet and the purchases unchanged, and the wallet check holds after all of it.
/// </summary>
public abstract class PurchaseTests(StoreKind kind) : IAsyncLifetime, IDisposable
{
    private AppleTestCa _apple = null!;
    private FakeGooglePlay _play = null!;
    private VotingTestServer _server = null!;
    private string _rootFile = "";

    private ApiDriver Api => _server.Api;

    public async Task InitializeAsync()
    {
        _apple = new AppleTestCa();
        _play = await FakeGooglePlay.StartAsync();
        _rootFile = Path.Combine(Path.GetTempPath(), "xfactor-tests", $"apple-root-{Guid.NewGuid():N}.pem");
        Directory.CreateDirectory(Path.GetDirectoryName(_rootFile)!);
        await File.WriteAllTextAsync(_rootFile, _apple.RootCertificate.ExportCertificatePem());
        var settings = _play.Settings();
        settings["Purchases:Apple:BundleId"] = AppleTestCa.BundleId;
        settings["Purchases:Apple:Environment"] = "Sandbox";
        settings["Purchases:Apple:RootCertificates:0"] = _rootFile;
        settings["Purchases:Google:VoidedPollSeconds"] = "1";
        settings["Outbox:PollMilliseconds"] = "50";
        settings["Outbox:FirstRetryMilliseconds"] = "100";
        _server = await VotingTestServer.StartAsync(kind, settings: settings);
        // The catalog of the original design, as an operator would enter it.
        await Package("10 Votes", 10, 0, 0.99m, "com.hangmeas.votes.10", "votes_10", 1);
        await Package("60 Votes", 50, 10, 3.99m, "com.hangmeas.votes.50", "votes_50", 2);
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

    private async Task<long> Package(string name, long votes, long bonus, decimal price, string ios, string android, long sort, bool active = true)
    {
        var created = await Api.PostAsync("/api/v1/admin/vote_packages", new
        {
            name,
            vote_count = votes,
            bonus_votes = bonus,
            price,
            currency = "USD",
            sort_order = sort,
            ios_product_id = ios,
            android_product_id = android,
            active,
        }, admin: true);
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.Data.GetProperty("id").GetInt64();
    }

    private async Task<string> AccountTokenAsync(SignedIn voter) =>
        (await Api.GetAsync("/api/v1/me", voter.Token)).Data.GetProperty("account_token").GetString()!;

    private string AppleReceipt(string accountToken, string product = "com.hangmeas.votes.50", int quantity = 1, string? transactionId = null) =>
        _apple.Sign(AppleTestCa.TransactionPayload(product, quantity, Guid.Parse(accountToken), transactionId: transactionId));

    private Task<ApiAnswer> BuyApple(SignedIn voter, string jws) =>
        Api.PostAsync("/api/v1/xfactor/purchases", new { platform = "ios", signed_transaction = jws }, voter.Token);

    private Task<ApiAnswer> BuyGoogle(SignedIn voter, string product, string token) =>
        Api.PostAsync("/api/v1/xfactor/purchases", new { platform = "android", product_id = product, purchase_token = token }, voter.Token);

    private async Task<long> BalanceAsync(SignedIn voter) => (await Api.BalanceAsync(voter.Token)).GetProperty("balance").GetInt64();

    private async Task<long> PurchaseCountAsync() =>
        (await Api.GetAsync("/api/v1/admin/purchases?limit=200", admin: true)).Data.GetProperty("purchases").GetArrayLength();

    private async Task AssertWalletsConsistentAsync()
    {
        var audit = await Api.GetAsync("/api/v1/admin/audit/wallets", admin: true);
        Assert.Equal(HttpStatusCode.OK, audit.Status);
        Assert.True(audit.Data.GetProperty("consistent").GetBoolean(), audit.Body.ToString());
    }

    private Task<ApiAnswer> AppStoreNotification(string type, string transactionJws, Guid? uuid = null, AppleTestCa? signer = null) =>
        Api.PostAsync("/webhooks/appstore", new { signedPayload = (signer ?? _apple).Sign(AppleTestCa.NotificationPayload(type, transactionJws, notificationUuid: uuid)) });

    [Fact]
    public async Task An_apple_purchase_credits_the_package_times_quantity_and_paid_votes_spend_it()
    {
        var e = await Api.OpenEpisodeAsync();
        var voter = await Api.SignInAsync();
        var jws = AppleReceipt(await AccountTokenAsync(voter), quantity: 2);

        var bought = await BuyApple(voter, jws);

        Assert.Equal(HttpStatusCode.OK, bought.Status);
        Assert.Equal(120, bought.Data.GetProperty("votes_credited").GetInt64());
        Assert.Equal(120, bought.Data.GetProperty("balance").GetInt64());
        Assert.False(bought.Data.GetProperty("duplicate").GetBoolean());
        Assert.Equal("ios", bought.Data.GetProperty("platform").GetString());
        Assert.Equal(60, bought.Data.GetProperty("package").GetProperty("total_votes").GetInt64());
        await Api.VoteOkAsync(voter.Token, e.Contestants[0], "paid", 20);
        var balance = await Api.BalanceAsync(voter.Token);
        Assert.Equal(100, balance.GetProperty("balance").GetInt64());
        var recent = Assert.Single(balance.GetProperty("recent_purchases").EnumerateArray());
        Assert.Equal("credited", recent.GetProperty("status").GetString());
        Assert.Equal(7.98m, recent.GetProperty("amount").GetDecimal());
        Assert.Equal("60 Votes", recent.GetProperty("package_name").GetString());
        Assert.Equal(2, balance.GetProperty("available_packages").GetArrayLength());
        await AssertWalletsConsistentAsync();
    }

    [Fact]
    public async Task Twenty_concurrent_posts_of_one_transaction_credit_once_and_another_voter_gets_409()
    {
        var voter = await Api.SignInAsync();
        var jws = AppleReceipt(await AccountTokenAsync(voter));

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => BuyApple(voter, jws)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Single(answers.Select(a => a.Data.GetProperty("purchase_id").GetInt64()).Distinct());
        Assert.Equal(19, answers.Count(a => a.Data.GetProperty("duplicate").GetBoolean()));
        Assert.Equal(60, await BalanceAsync(voter));
        var thief = await Api.SignInAsync();
        var stolen = await BuyApple(thief, jws);
        Assert.Equal(HttpStatusCode.Conflict, stolen.Status);
        Assert.Equal("RECEIPT_ALREADY_USED", stolen.ErrorCode);
        Assert.Equal(0, await BalanceAsync(thief));
        Assert.Equal(1, await PurchaseCountAsync());
        await AssertWalletsConsistentAsync();
    }

    [Fact]
    public async Task Every_refused_receipt_leaves_wallet_and_purchases_unchanged()
    {
        var voter = await Api.SignInAsync();
        var account = Guid.Parse(await AccountTokenAsync(voter));
        using var stranger = new AppleTestCa();
        var cases = new (string Name, string Jws, string Code)[]
        {
            ("another root", stranger.Sign(AppleTestCa.TransactionPayload("com.hangmeas.votes.50", 1, account)), "INVALID_RECEIPT"),
            ("tampered", _apple.Sign(AppleTestCa.TransactionPayload("com.hangmeas.votes.50", 1, account), JwsFlaw.TamperedPayload), "INVALID_RECEIPT"),
            ("wrong bundle", _apple.Sign(AppleTestCa.TransactionPayload("com.hangmeas.votes.50", 1, account, bundleId: "com.other.app")), "INVALID_RECEIPT"),
            ("production receipt", _apple.Sign(AppleTestCa.TransactionPayload("com.hangmeas.votes.50", 1, account, environment: "Production")), "INVALID_RECEIPT"),
            ("subscription", _apple.Sign(AppleTestCa.TransactionPayload("com.hangmeas.votes.50", 1, account, type: "Auto-Renewable Subscription")), "INVALID_RECEIPT"),
            ("unknown product", _apple.Sign(AppleTestCa.TransactionPayload("com.hangmeas.votes.7", 1, account)), "UNKNOWN_PRODUCT"),
            ("another account", _apple.Sign(AppleTestCa.TransactionPayload("com.hangmeas.votes.50", 1, Guid.NewGuid())), "RECEIPT_ACCOUNT_MISMATCH"),
            ("no account", _apple.Sign(AppleTestCa.TransactionPayload("com.hangmeas.votes.50", 1, null)), "RECEIPT_ACCOUNT_MISMATCH"),
            ("not a JWS", "not.a-jws", "INVALID_RECEIPT"),
        };
        foreach (var (name, jws, code) in cases)
        {
            var refused = await BuyApple(voter, jws);
            Assert.True(refused.Status == HttpStatusCode.UnprocessableEntity && refused.ErrorCode == code, $"{name}: {refused.Code} {refused.Body}");
        }
        var missing = await Api.PostAsync("/api/v1/xfactor/purchases", new { platform = "ios" }, voter.Token);
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        var platform = await Api.PostAsync("/api/v1/xfactor/purchases", new { platform = "windows" }, voter.Token);
        Assert.Equal(HttpStatusCode.BadRequest, platform.Status);
        Assert.Contains("platform", platform.Body.GetProperty("errors")[0].GetString());
        var anonymous = await Api.PostAsync("/api/v1/xfactor/purchases", new { platform = "test", package_id = 1 });
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);

        Assert.Equal(0, await BalanceAsync(voter));
        Assert.Equal(0, await PurchaseCountAsync());
        await AssertWalletsConsistentAsync();
    }

    [Fact]
    public async Task A_refund_notification_debits_once_may_overdraw_and_its_reversal_credits_back()
    {
        var e = await Api.OpenEpisodeAsync();
        var voter = await Api.SignInAsync();
        var jws = AppleReceipt(await AccountTokenAsync(voter));
        Assert.Equal(HttpStatusCode.OK, (await BuyApple(voter, jws)).Status);
        await Api.VoteOkAsync(voter.Token, e.Contestants[0], "paid", 50);
        var uuid = Guid.NewGuid();

        var refund = await AppStoreNotification("REFUND", jws, uuid);
        var again = await AppStoreNotification("REFUND", jws, uuid);
        var second = await AppStoreNotification("REFUND", jws);

        Assert.Equal(HttpStatusCode.OK, refund.Status);
        Assert.Equal("debited", refund.Data.GetProperty("outcome").GetString());
        Assert.Equal("repeated", again.Data.GetProperty("outcome").GetString());
        Assert.Equal("ignored", second.Data.GetProperty("outcome").GetString());
        // 60 credited, 50 spent, 60 taken back: the voter owes 50 and cannot vote with paid votes.
        Assert.Equal(-50, await BalanceAsync(voter));
        var paid = await Api.VoteAsync(voter.Token, e.Contestants[0], "paid", 1);
        Assert.Equal("INSUFFICIENT_VOTE_BALANCE", paid.ErrorCode);
        var recent = (await Api.BalanceAsync(voter.Token)).GetProperty("recent_purchases")[0];
        Assert.Equal("refunded", recent.GetProperty("status").GetString());
        await AssertWalletsConsistentAsync();

        // A purchase while owing pays off the debt first.
        Assert.Equal(HttpStatusCode.OK, (await BuyApple(voter, AppleReceipt(await AccountTokenAsync(voter), "com.hangmeas.votes.10"))).Status);
        Assert.Equal(-40, await BalanceAsync(voter));
        Assert.Equal("INSUFFICIENT_VOTE_BALANCE", (await Api.VoteAsync(voter.Token, e.Contestants[0], "paid", 1)).ErrorCode);

        var reversed = await AppStoreNotification("REFUND_REVERSED", jws);
        Assert.Equal("credited", reversed.Data.GetProperty("outcome").GetString());
        Assert.Equal(20, await BalanceAsync(voter));
        await Api.VoteOkAsync(voter.Token, e.Contestants[0], "paid", 20);
        await AssertWalletsConsistentAsync();
    }

    [Fact]
    public async Task A_notification_that_fails_verification_is_401_and_changes_nothing()
    {
        var voter = await Api.SignInAsync();
        var jws = AppleReceipt(await AccountTokenAsync(voter));
        Assert.Equal(HttpStatusCode.OK, (await BuyApple(voter, jws)).Status);
        using var stranger = new AppleTestCa();

        var forged = await AppStoreNotification("REFUND", jws, signer: stranger);
        var tampered = await Api.PostAsync("/webhooks/appstore",
            new { signedPayload = _apple.Sign(AppleTestCa.NotificationPayload("REFUND", jws), JwsFlaw.TamperedPayload) });
        var empty = await Api.PostAsync("/webhooks/appstore", new { other = 1 });

        Assert.Equal(HttpStatusCode.Unauthorized, forged.Status);
        Assert.Equal("INVALID_SIGNATURE", forged.ErrorCode);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, empty.Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.SendAsync(HttpMethod.Post, "/webhooks/appstore", "{not json")).Status);
        Assert.Equal(60, await BalanceAsync(voter));
    }

    [Fact]
    public async Task A_google_purchase_credits_once_and_is_consumed_once()
    {
        var voter = await Api.SignInAsync();
        var token = _play.AddPurchase("votes_50", await AccountTokenAsync(voter));

        var first = await BuyGoogle(voter, "votes_50", token);
        var repeat = await BuyGoogle(voter, "votes_50", token);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(60, first.Data.GetProperty("votes_credited").GetInt64());
        Assert.Equal(_play.OrderIdOf(token), first.Data.GetProperty("transaction_id").GetString());
        Assert.True(repeat.Data.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.Data.GetProperty("purchase_id").GetInt64(), repeat.Data.GetProperty("purchase_id").GetInt64());
        await _play.Calls.WaitForAsync(c => c.Verb == "consume" && c.Token == token && c.Status == 200, what: "consume");
        await Task.Delay(500);
        Assert.Single(_play.Calls.Items, c => c.Verb == "consume");
        Assert.Equal(60, await BalanceAsync(voter));
        await AssertWalletsConsistentAsync();
    }

    [Fact]
    public async Task Google_refusals_and_outages_credit_nothing()
    {
        var voter = await Api.SignInAsync();
        var account = await AccountTokenAsync(voter);
        var cancelled = _play.AddPurchase("votes_50", account, purchaseState: 1);
        var pending = _play.AddPurchase("votes_50", account, purchaseState: 2);
        var other = _play.AddPurchase("votes_50", Guid.NewGuid().ToString());
        var fine = _play.AddPurchase("votes_50", account);

        Assert.Equal("PURCHASE_NOT_COMPLETED", (await BuyGoogle(voter, "votes_50", cancelled)).ErrorCode);
        Assert.Equal("PURCHASE_NOT_COMPLETED", (await BuyGoogle(voter, "votes_50", pending)).ErrorCode);
        Assert.Equal("RECEIPT_ACCOUNT_MISMATCH", (await BuyGoogle(voter, "votes_50", other)).ErrorCode);
        Assert.Equal("INVALID_RECEIPT", (await BuyGoogle(voter, "votes_50", "unknown-token")).ErrorCode);
        Assert.Equal("UNKNOWN_PRODUCT", (await BuyGoogle(voter, "votes_3", fine)).ErrorCode);
        _play.FailNext = 1;
        var outage = await BuyGoogle(voter, "votes_50", fine);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, outage.Status);
        Assert.Equal("VERIFIER_UNAVAILABLE", outage.ErrorCode);
        Assert.Equal(0, await BalanceAsync(voter));
        Assert.Equal(0, await PurchaseCountAsync());

        Assert.Equal(HttpStatusCode.OK, (await BuyGoogle(voter, "votes_50", fine)).Status);
        Assert.Equal(60, await BalanceAsync(voter));
    }

    [Fact]
    public async Task A_voided_purchase_push_with_a_valid_token_debits_and_a_bad_token_is_401()
    {
        var voter = await Api.SignInAsync();
        var token = _play.AddPurchase("votes_10", await AccountTokenAsync(voter));
        Assert.Equal(HttpStatusCode.OK, (await BuyGoogle(voter, "votes_10", token)).Status);
        var body = FakeGooglePlay.VoidedPush(token, _play.OrderIdOf(token));
        using var otherKey = System.Security.Cryptography.RSA.Create(2048);

        foreach (var bad in new[] { null, "Bearer nonsense", $"Bearer {_play.MintPushToken(audience: "https://elsewhere")}",
                     $"Bearer {_play.MintPushToken(signWith: otherKey)}", $"Bearer {_play.MintPushToken(email: "someone@evil.example")}" })
        {
            var refused = await Push(body, bad);
            Assert.True(refused.Status == HttpStatusCode.Unauthorized, $"{bad}: {refused.Code}");
        }
        Assert.Equal(10, await BalanceAsync(voter));

        var applied = await Push(body, $"Bearer {_play.MintPushToken()}");
        var repeated = await Push(body, $"Bearer {_play.MintPushToken()}");
        Assert.Equal("debited", applied.Data.GetProperty("outcome").GetString());
        Assert.Equal("repeated", repeated.Data.GetProperty("outcome").GetString());
        Assert.Equal(0, await BalanceAsync(voter));
        await AssertWalletsConsistentAsync();
    }

    [Fact]
    public async Task The_voided_purchases_poll_debits_refunds_whose_push_never_came_once()
    {
        var voter = await Api.SignInAsync();
        var account = await AccountTokenAsync(voter);
        var first = _play.AddPurchase("votes_10", account);
        var second = _play.AddPurchase("votes_50", account);
        Assert.Equal(HttpStatusCode.OK, (await BuyGoogle(voter, "votes_10", first)).Status);
        Assert.Equal(HttpStatusCode.OK, (await BuyGoogle(voter, "votes_50", second)).Status);
        Assert.Equal(70, await BalanceAsync(voter));

        _play.Void(first);
        _play.Void(second);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await BalanceAsync(voter) != 0 && DateTime.UtcNow < deadline) await Task.Delay(200);
        Assert.Equal(0, await BalanceAsync(voter));
        // Later polls see the same entries again and change nothing.
        var polls = _play.Calls.Items.Count(c => c.Verb == "voided");
        await _play.Calls.WaitForAsync(c => c.Verb == "voided", polls + 4, what: "two more polls");
        Assert.Equal(0, await BalanceAsync(voter));
        Assert.Equal(2, (await Api.GetAsync("/api/v1/admin/purchases?status=refunded", admin: true)).Data.GetProperty("purchases").GetArrayLength());
        await AssertWalletsConsistentAsync();
    }

    private async Task<ApiAnswer> Push(string body, string? authorization) =>
        await Api.SendAsync(HttpMethod.Post, "/webhooks/googleplay", body,
            headers: authorization is null ? null : new Dictionary<string, string> { ["Authorization"] = authorization });

    [Fact]
    public async Task The_test_store_buys_a_package_once_per_idempotency_key()
    {
        var voter = await Api.SignInAsync();
        var packages = (await Api.GetAsync("/api/v1/xfactor/vote_packages")).Data.GetProperty("packages");
        var id = packages[0].GetProperty("id").GetInt64();
        var headers = new Dictionary<string, string> { ["Idempotency-Key"] = "buy-1" };

        var first = await Api.PostAsync("/api/v1/xfactor/purchases", new { platform = "test", package_id = id }, voter.Token, headers: headers);
        var again = await Api.PostAsync("/api/v1/xfactor/purchases", new { platform = "test", package_id = id }, voter.Token, headers: headers);
        var unknown = await Api.PostAsync("/api/v1/xfactor/purchases", new { platform = "test", package_id = 999 }, voter.Token);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.True(again.Data.GetProperty("duplicate").GetBoolean());
        Assert.Equal("UNKNOWN_PRODUCT", unknown.ErrorCode);
        Assert.Equal(10, await BalanceAsync(voter));
    }

    [Fact]
    public async Task Operators_page_through_purchases_and_filter_by_voter()
    {
        var a = await Api.SignInAsync();
        var b = await Api.SignInAsync();
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await BuyApple(a, AppleReceipt(await AccountTokenAsync(a)))).Status);
        Assert.Equal(HttpStatusCode.OK, (await BuyApple(b, AppleReceipt(await AccountTokenAsync(b)))).Status);

        var first = await Api.GetAsync("/api/v1/admin/purchases?limit=2", admin: true);
        var next = first.Data.GetProperty("next_before_id").GetInt64();
        var second = await Api.GetAsync($"/api/v1/admin/purchases?limit=2&before_id={next}", admin: true);
        var ofA = await Api.GetAsync($"/api/v1/admin/purchases?user_id={a.UserId}", admin: true);
        var bad = await Api.GetAsync("/api/v1/admin/purchases?before_id=x", admin: true);

        var ids = first.Data.GetProperty("purchases").EnumerateArray().Concat(second.Data.GetProperty("purchases").EnumerateArray())
            .Select(p => p.GetProperty("purchase_id").GetInt64()).ToList();
        Assert.Equal(4, ids.Distinct().Count());
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(JsonValueKind.Null, second.Data.GetProperty("next_before_id").ValueKind);
        Assert.Equal(3, ofA.Data.GetProperty("purchases").GetArrayLength());
        Assert.All(ofA.Data.GetProperty("purchases").EnumerateArray(), p => Assert.Equal(a.UserId, p.GetProperty("user_id").GetInt64()));
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
    }

    [Fact]
    public async Task Operators_manage_the_catalog_and_viewers_see_the_active_packages_in_order()
    {
        var hidden = await Package("Old", 5, 0, 0.49m, "com.hangmeas.votes.old", "votes_old", 0, active: false);
        var taken = await Api.PostAsync("/api/v1/admin/vote_packages",
            new { name = "Dup", vote_count = 1, price = 1m, ios_product_id = "com.hangmeas.votes.10" }, admin: true);
        var badPrice = await Api.PostAsync("/api/v1/admin/vote_packages", new { name = "X", vote_count = 1, price = 0.999m }, admin: true);
        var noAuth = await Api.PostAsync("/api/v1/admin/vote_packages", new { name = "X", vote_count = 1, price = 1m });
        var patched = await Api.SendAsync(HttpMethod.Patch, "/api/v1/admin/vote_packages/" + hidden, """{"active": true, "badge_text": "Back!"}""", admin: true);
        var patchTaken = await Api.SendAsync(HttpMethod.Patch, "/api/v1/admin/vote_packages/" + hidden, """{"android_product_id": "votes_50"}""", admin: true);
        var missing = await Api.SendAsync(HttpMethod.Patch, "/api/v1/admin/vote_packages/9999", """{"active": true}""", admin: true);

        Assert.Equal(HttpStatusCode.Conflict, taken.Status);
        Assert.Equal("PRODUCT_ID_TAKEN", taken.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPrice.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, noAuth.Status);
        Assert.Equal("Back!", patched.Data.GetProperty("badge_text").GetString());
        Assert.Equal("PRODUCT_ID_TAKEN", patchTaken.ErrorCode);
        Assert.Equal("PACKAGE_NOT_FOUND", missing.ErrorCode);
        var list = (await Api.GetAsync("/api/v1/xfactor/vote_packages")).Data.GetProperty("packages").EnumerateArray().ToList();
        Assert.Equal(["Old", "10 Votes", "60 Votes"], list.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Patch, "/api/v1/admin/vote_packages/" + hidden, """{"ios_product_id": ""}""", admin: true)).Status);
        var ios = (await Api.GetAsync("/api/v1/xfactor/vote_packages?platform=ios")).Data.GetProperty("packages").EnumerateArray();
        Assert.Equal(["10 Votes", "60 Votes"], ios.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(3, (await Api.GetAsync("/api/v1/xfactor/vote_packages?platform=android")).Data.GetProperty("packages").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await Api.GetAsync("/api/v1/xfactor/vote_packages?platform=symbian")).Status);
        Assert.Equal(0.99m, list[1].GetProperty("price").GetDecimal());
        await Api.OpenEpisodeAsync();
        var current = await Api.GetAsync("/api/v1/xfactor/voting/current_episode");
        Assert.Equal(3, current.Data.GetProperty("vote_packages").GetArrayLength());
    }

    [Fact]
    public async Task Package_revenue_of_an_episode_counts_purchases_in_its_voting_window()
    {
        var e = await Api.OpenEpisodeAsync();
        var voter = await Api.SignInAsync();
        var jws = AppleReceipt(await AccountTokenAsync(voter));
        Assert.Equal(HttpStatusCode.OK, (await BuyApple(voter, jws)).Status);
        Assert.Equal(HttpStatusCode.OK, (await BuyApple(voter, AppleReceipt(await AccountTokenAsync(voter), "com.hangmeas.votes.10"))).Status);
        Assert.Equal(HttpStatusCode.OK, (await AppStoreNotification("REFUND", jws)).Status);

        var revenue = await Api.GetAsync($"/api/v1/admin/episodes/{e.EpisodeId}/revenue", admin: true);
        var none = await Api.GetAsync("/api/v1/admin/episodes/9999/revenue", admin: true);

        Assert.Equal(2, revenue.Data.GetProperty("purchases").GetInt64());
        Assert.Equal(1, revenue.Data.GetProperty("refunded").GetInt64());
        Assert.Equal(4.98m, revenue.Data.GetProperty("gross")[0].GetProperty("amount").GetDecimal());
        Assert.Equal(0.99m, revenue.Data.GetProperty("net")[0].GetProperty("amount").GetDecimal());
        Assert.Equal("EPISODE_NOT_FOUND", none.ErrorCode);
    }
}

public sealed class SqlitePurchaseTests() : PurchaseTests(StoreKind.Sqlite);

public sealed class PostgresPurchaseTests() : PurchaseTests(StoreKind.Postgres);
