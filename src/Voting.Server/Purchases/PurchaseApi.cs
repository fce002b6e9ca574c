using System.Globalization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Voting.Domain;
using Voting.Domain.Purchases;
using Voting.Server.Infrastructure;
using Voting.Server.Metrics;
using Voting.Server.Voting;
using Voting.Storage;

namespace Voting.Server.Purchases;

public sealed record PurchaseBody(string? Platform, string? SignedTransaction, string? ProductId, string? PurchaseToken, long? PackageId);

public sealed record PackageDto(long Id, string Name, long VoteCount, long BonusVotes, long TotalVotes, decimal Price, string Currency,
    string? BadgeText, long SortOrder, string? IosProductId, string? AndroidProductId, bool Active)
{
    public static PackageDto Of(VotePackage p) => new(p.Id, p.Name, p.VoteCount, p.BonusVotes, p.TotalVotes, PackageRules.Price(p.PriceCents),
        p.Currency, p.BadgeText, p.SortOrder, p.IosProductId, p.AndroidProductId, p.Active);
}

public sealed record PackagesResponse(IReadOnlyList<PackageDto> Packages);

public sealed record PurchaseResponse(long PurchaseId, string Platform, string TransactionId, PackageDto Package, long VotesCredited, long Balance, bool Duplicate);

/// <summary>A purchase in a voter's recent purchases (<c>vote_balance.recent_purchases</c>).</summary>
public sealed record RecentPurchaseDto(long PurchaseId, string Platform, string PackageName, long TotalVotes, decimal Amount, string Currency,
    string Status, DateTimeOffset PurchasedAt)
{
    public static RecentPurchaseDto Of(PurchaseRecord p) =>
        new(p.Id, p.Platform, p.PackageName, p.Votes, PackageRules.Price(p.AmountCents), p.Currency, p.Status, p.CreatedAt);
}

/// <summary>
/// The viewer's side of vote packages: the public catalog and <c>POST /api/v1/xfactor/purchases</c>.
/// A receipt is verified before the store is touched (Apple offline, Google over HTTP with a deadline);
/// then the purchase row and the wallet credit commit together, once per store transaction.
/// </summary>
public static class PurchaseApi
{
    public static IEndpointRouteBuilder MapPurchaseApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/xfactor/vote_packages", PackagesAsync).AllowAnonymous().Produces<Envelope<PackagesResponse>>();
        app.MapPost("/api/v1/xfactor/purchases", PurchaseAsync).RequireAuthorization()
            .Accepts<PurchaseBody>("application/json")
            .Produces<Envelope<PurchaseResponse>>()
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest)
            .Produces<ErrorEnvelope>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorEnvelope>(StatusCodes.Status404NotFound)
            .Produces<ErrorEnvelope>(StatusCodes.Status409Conflict)
            .Produces<ErrorEnvelope>(StatusCodes.Status422UnprocessableEntity)
            .Produces<ErrorEnvelope>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    /// <summary>The active packages by sort order, as the catalog shows them.</summary>
    public static async Task<IReadOnlyList<PackageDto>> ActivePackagesAsync(IPurchaseStore store, CancellationToken ct) =>
        [.. (await store.GetPackagesAsync(activeOnly: true, ct)).Select(PackageDto.Of)];

    /// <summary>The active packages; with <c>?platform=ios|android</c>, only those sold in that platform's store.</summary>
    private static async Task<IResult> PackagesAsync(IPurchaseStore store, string? platform, CancellationToken ct)
    {
        if (platform is not null && platform is not (PurchasePlatforms.Ios or PurchasePlatforms.Android))
            return Api.BadRequest("Invalid value for parameter 'platform': ios or android");
        var packages = await ActivePackagesAsync(store, ct);
        return Api.Ok(new PackagesResponse(platform switch
        {
            PurchasePlatforms.Ios => [.. packages.Where(p => p.IosProductId is not null)],
            PurchasePlatforms.Android => [.. packages.Where(p => p.AndroidProductId is not null)],
            _ => packages,
        }));
    }

    private static async Task<IResult> PurchaseAsync(HttpContext http, IPurchaseStore store, IProfileStore profiles, IVoterStore voters, AppleReceipts apple,
        GooglePlayClient google, IOptions<PurchaseOptions> options, IOptions<JsonOptions> json, IHostEnvironment env, TimeProvider time, ILoggerFactory logs, CancellationToken ct)
    {
        if (CastVote.VoterOf(http.User) is not { } voter) return Api.Unauthorized();
        var (body, error) = await JsonBody.ReadAsync<PurchaseBody>(http.Request, json.Value.SerializerOptions);
        if (error is not null) return error;
        if (string.IsNullOrEmpty(body!.Platform)) return JsonBody.Missing("platform");
        var profile = await profiles.GetProfileAsync(voter, ct);
        if (profile is null) return Api.Unauthorized("Voter not found");
        var logger = logs.CreateLogger(typeof(PurchaseApi));

        var verified = body.Platform switch
        {
            PurchasePlatforms.Ios => await VerifyAppleAsync(body, profile, apple, store, ct),
            PurchasePlatforms.Android => await VerifyGoogleAsync(body, profile, google, store, options.Value.Google.AllowTestPurchases ?? !env.IsProduction(), logger, ct),
            PurchasePlatforms.Test => await TestStoreAsync(http, body, voter, store, options.Value.TestStore.Enabled ?? env.IsDevelopment(), time, ct),
            _ => new Verified(null, Api.BadRequest("Invalid value for field 'platform': must be one of ios, android, test")),
        };
        if (verified.Refusal is not null) return verified.Refusal;

        // A transaction already credited answers as it was: to this voter, the first answer again; to another, 409.
        var purchase = verified.Purchase!;
        if (await store.FindPurchaseAsync(purchase.Platform, purchase.TransactionId, ct) is { } earlier)
        {
            if (earlier.Voter != voter) return ReceiptAlreadyUsed();
            var balance = (await voters.GetVoterSummaryAsync(voter, null, ct))?.VoteBalance ?? 0;
            return Api.Ok(new PurchaseResponse(earlier.Id, earlier.Platform, earlier.TransactionId, PackageDto.Of(purchase.Package), earlier.Votes, balance, true));
        }
        if (!verified.AccountMatches)
            return Api.Unprocessable("RECEIPT_ACCOUNT_MISMATCH", "The purchase was made for another account: set the app account token from GET /api/v1/me");
        if (verified.Consumed) return Api.Unprocessable("INVALID_RECEIPT", "The purchase was already consumed");

        var result = await store.CreditPurchaseAsync(purchase, ct);
        switch (result.Status)
        {
            case CreditStatus.VoterNotFound:
                return Api.Unauthorized("Voter not found");
            case CreditStatus.OtherVoter:
                return ReceiptAlreadyUsed();
        }
        var p = result.Purchase!;
        if (result.Status == CreditStatus.Credited) PurchaseLog.Credited(logger, p.Id, p.Platform, p.TransactionId, p.Votes, voter.Value);
        if (result.Status == CreditStatus.Credited) http.RequestServices.GetRequiredService<VotingMetrics>().PurchaseCredited(p.Platform, p.Currency, p.AmountCents);
        return Api.Ok(new PurchaseResponse(p.Id, p.Platform, p.TransactionId, PackageDto.Of(verified.Purchase!.Package), p.Votes, result.Balance,
            result.Status == CreditStatus.Duplicate));
    }

    private static IResult ReceiptAlreadyUsed() => Api.Conflict("RECEIPT_ALREADY_USED", "This purchase was already credited to another account");

    /// <summary>A verified purchase to credit, or the answer that refuses it.</summary>
    /// <param name="AccountMatches">Whether the receipt names this voter's account token (checked after a repeat is recognised).</param>
    /// <param name="Consumed">Google says it was consumed: only a repeat of our own credit may answer.</param>
    private sealed record Verified(NewPurchase? Purchase, IResult? Refusal, bool AccountMatches = true, bool Consumed = false);

    private static Verified Refuse(IResult refusal) => new(null, refusal);

    private static Verified InvalidReceipt(string detail) => Refuse(Api.Unprocessable("INVALID_RECEIPT", detail));

    private static Verified UnknownProduct(string product) =>
        Refuse(Api.Unprocessable("UNKNOWN_PRODUCT", $"No vote package is sold as '{product}'"));

    private static Verified VerifierUnavailable(string detail) =>
        Refuse(Api.Error(StatusCodes.Status503ServiceUnavailable, "VERIFIER_UNAVAILABLE", $"The store could not confirm the purchase; try again later ({detail})"));

    private static async Task<Verified> VerifyAppleAsync(PurchaseBody body, VoterProfile profile, AppleReceipts apple, IPurchaseStore store, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(body.SignedTransaction)) return Refuse(JsonBody.Missing("signed_transaction"));
        if (apple.Verifier is null) return VerifierUnavailable("App Store purchases are not configured on this server");
        var v = apple.Verifier.VerifyTransaction(body.SignedTransaction);
        if (!v.Ok) return InvalidReceipt($"The App Store transaction failed verification: {v.Detail}");
        var t = v.Value!;
        if (t.RevocationDate is not null) return InvalidReceipt("The App Store transaction was revoked");
        var matches = t.AppAccountToken is { } token && Guid.TryParse(profile.AccountToken, out var mine) && token == mine;
        var package = await store.FindPackageByProductAsync(PurchasePlatforms.Ios, t.ProductId, ct);
        if (package is null) return UnknownProduct(t.ProductId);
        return new Verified(new NewPurchase(profile.Id, PurchasePlatforms.Ios, t.TransactionId, t.OriginalTransactionId, null, t.ProductId, package,
            t.Quantity, t.Environment, t.PurchaseDate), null, matches);
    }

    private static async Task<Verified> VerifyGoogleAsync(PurchaseBody body, VoterProfile profile, GooglePlayClient google, IPurchaseStore store,
        bool allowTestPurchases, ILogger logger, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(body.ProductId)) return Refuse(JsonBody.Missing("product_id"));
        if (string.IsNullOrEmpty(body.PurchaseToken)) return Refuse(JsonBody.Missing("purchase_token"));
        if (body.PurchaseToken.Length > 4096) return Refuse(Api.BadRequest("Invalid value for field 'purchase_token': at most 4096 characters"));
        if (!PackageRules.IsProductId(body.ProductId)) return UnknownProduct(body.ProductId);
        var package = await store.FindPackageByProductAsync(PurchasePlatforms.Android, body.ProductId, ct);
        if (package is null) return UnknownProduct(body.ProductId);
        if (!google.IsConfigured) return VerifierUnavailable("Google Play purchases are not configured on this server");

        var fetch = await google.GetProductPurchaseAsync(body.ProductId, body.PurchaseToken, ct);
        switch (fetch.Status)
        {
            case GoogleFetchStatus.Unavailable:
                PurchaseLog.GoogleUnavailable(logger, fetch.Detail);
                return VerifierUnavailable("Google Play did not answer");
            case GoogleFetchStatus.Unknown:
                return InvalidReceipt(fetch.Detail);
        }
        var p = fetch.Purchase!;
        if (p.ProductId is { } answered && answered != body.ProductId) return InvalidReceipt("The purchase token is for another product");
        var judged = GooglePurchaseRules.Judge(p, body.PurchaseToken, profile.AccountToken, allowTestPurchases);
        switch (judged.Verdict)
        {
            case GoogleVerdict.NotCompleted:
                return Refuse(Api.Unprocessable("PURCHASE_NOT_COMPLETED", judged.Detail));
            case GoogleVerdict.TestPurchaseRefused:
            case GoogleVerdict.Malformed:
                return InvalidReceipt(judged.Detail);
        }
        // Consumed already: only our own credit can have consumed it, so it answers as that credit
        // — or, if we never credited it, nothing is credited.
        var purchase = new NewPurchase(profile.Id, PurchasePlatforms.Android, judged.TransactionId!, null, body.PurchaseToken, body.ProductId, package,
            judged.Quantity, p.PurchaseType == 0 ? "Test" : "Production", judged.PurchasedAt ?? DateTimeOffset.UnixEpoch, google.PackageName);
        return new Verified(purchase, null, judged.Verdict != GoogleVerdict.AccountMismatch, judged.Verdict == GoogleVerdict.AlreadyConsumed);
    }

    private static async Task<Verified> TestStoreAsync(HttpContext http, PurchaseBody body, VoterId voter, IPurchaseStore store, bool enabled, TimeProvider time, CancellationToken ct)
    {
        if (!enabled) return Refuse(Api.NotFound("NOT_FOUND", "The test store is not enabled on this server"));
        if (body.PackageId is not { } id) return Refuse(JsonBody.Missing("package_id"));
        var package = id > 0 ? await store.GetPackageAsync(id, ct) : null;
        if (package is null || !package.Active) return UnknownProduct(id.ToString(CultureInfo.InvariantCulture));
        // The test store's receipt is the Idempotency-Key: the same key again is the same purchase.
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        if (http.Request.Headers.ContainsKey("Idempotency-Key") && !IdempotencyKeys.IsValid(key))
            return Refuse(Api.BadRequest("Idempotency-Key must be 1-64 printable characters"));
        var transaction = key.Length > 0 ? $"test:{voter.Value}:{key}" : "test:" + Guid.NewGuid().ToString("N");
        return new Verified(new NewPurchase(voter, PurchasePlatforms.Test, transaction, null, null, $"package:{package.Id}", package, 1, "Test",
            time.GetUtcNow()), null);
    }
}
