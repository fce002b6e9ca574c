using System.Globalization;
using Microsoft.AspNetCore.Http.Json;
using FromQueryAttribute = Microsoft.AspNetCore.Mvc.FromQueryAttribute;
using Microsoft.Extensions.Options;
using Voting.Domain;
using Voting.Domain.Purchases;
using Voting.Server.Audit;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Purchases;

/// <summary>A package as the operator sends it: every field on create (name, vote_count, price required); those given on update. "" clears a product id or badge.</summary>
public sealed record PackageBody(string? Name, long? VoteCount, long? BonusVotes, decimal? Price, string? Currency, string? BadgeText, long? SortOrder,
    string? IosProductId, string? AndroidProductId, bool? Active);

public sealed record AdminPurchaseDto(long PurchaseId, long UserId, string Platform, string TransactionId, string ProductId, long PackageId,
    string PackageName, int Quantity, long Votes, decimal Amount, string Currency, string Environment, string Status,
    DateTimeOffset PurchasedAt, DateTimeOffset CreatedAt, DateTimeOffset? RefundedAt);

public sealed record AdminPurchasesResponse(IReadOnlyList<AdminPurchaseDto> Purchases, long? NextBeforeId);

public sealed record AmountDto(string Currency, decimal Amount);

public sealed record RevenueResponse(long EpisodeId, long Purchases, long Votes, long Refunded, IReadOnlyList<AmountDto> Gross,
    IReadOnlyList<AmountDto> RefundedAmount, IReadOnlyList<AmountDto> Net);

public sealed record WalletMismatchDto(long UserId, long Balance, long WalletEntries, long PaidVotes);

public sealed record WalletAuditResponse(long Voters, long Mismatched, bool Consistent, IReadOnlyList<WalletMismatchDto> Examples);

/// <summary>Operators' side of vote packages: the catalog, every purchase, package revenue per episode, and the wallet check.</summary>
public static class PurchaseAdminApi
{
    private const int MaxPageSize = 200;
    private static readonly string[] Statuses = ["credited", "refunded"];

    public static IEndpointRouteBuilder MapPurchaseAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/admin").AllowAnonymous().AddEndpointFilter<ApiKeyFilter>();
        api.MapGet("/vote_packages", ListAsync).Produces<Envelope<PackagesResponse>>();
        api.MapPost("/vote_packages", CreateAsync).Accepts<PackageBody>("application/json")
            .Produces<Envelope<PackageDto>>(StatusCodes.Status201Created)
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest)
            .Produces<ErrorEnvelope>(StatusCodes.Status409Conflict);
        api.MapPatch("/vote_packages/{id}", UpdateAsync).Accepts<PackageBody>("application/json")
            .Produces<Envelope<PackageDto>>()
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest)
            .Produces<ErrorEnvelope>(StatusCodes.Status404NotFound)
            .Produces<ErrorEnvelope>(StatusCodes.Status409Conflict);
        api.MapGet("/purchases", PurchasesAsync).Produces<Envelope<AdminPurchasesResponse>>().Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest);
        api.MapGet("/episodes/{id}/revenue", RevenueAsync).Produces<Envelope<RevenueResponse>>().Produces<ErrorEnvelope>(StatusCodes.Status404NotFound);
        api.MapGet("/audit/wallets", WalletsAsync).Produces<Envelope<WalletAuditResponse>>();
        return app;
    }

    private static async Task<IResult> ListAsync(IPurchaseStore store, CancellationToken ct) =>
        Api.Ok(new PackagesResponse([.. (await store.GetPackagesAsync(activeOnly: false, ct)).Select(PackageDto.Of)]));

    private static async Task<IResult> CreateAsync(HttpContext http, IPurchaseStore store, IOptions<JsonOptions> json, OperatorAudit audit, CancellationToken ct)
    {
        var (b, error) = await JsonBody.ReadAsync<PackageBody>(http.Request, json.Value.SerializerOptions);
        if (error is not null) return error;
        if (b!.Name is null) return JsonBody.Missing("name");
        if (b.VoteCount is null) return JsonBody.Missing("vote_count");
        if (b.Price is null) return JsonBody.Missing("price");
        var draft = Apply(b, new VotePackageDraft("", 0, 0, 0, "USD", null, 0, null, null, true), out var problem);
        if (problem is not null) return problem;
        var (status, package) = await store.CreatePackageAsync(draft!, ct);
        if (status != PackageWriteStatus.ProductIdTaken) await audit.RecordAsync(http, "vote_package.create", $"vote_package:{package!.Id}", b);
        return status == PackageWriteStatus.ProductIdTaken ? ProductIdTaken() : Api.Created(PackageDto.Of(package!));
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, IPurchaseStore store, IOptions<JsonOptions> json, OperatorAudit audit, CancellationToken ct)
    {
        if (Api.Id(id) is not { } packageId || await store.GetPackageAsync(packageId, ct) is not { } current)
            return Api.NotFound("PACKAGE_NOT_FOUND", "Vote package not found");
        var (b, error) = await JsonBody.ReadAsync<PackageBody>(http.Request, json.Value.SerializerOptions);
        if (error is not null) return error;
        var draft = Apply(b!, new VotePackageDraft(current.Name, current.VoteCount, current.BonusVotes, current.PriceCents, current.Currency,
            current.BadgeText, current.SortOrder, current.IosProductId, current.AndroidProductId, current.Active), out var problem);
        if (problem is not null) return problem;
        var (status, package) = await store.UpdatePackageAsync(packageId, draft!, ct);
        if (status == PackageWriteStatus.Ok) await audit.RecordAsync(http, "vote_package.update", $"vote_package:{packageId}", b);
        return status switch
        {
            PackageWriteStatus.NotFound => Api.NotFound("PACKAGE_NOT_FOUND", "Vote package not found"),
            PackageWriteStatus.ProductIdTaken => ProductIdTaken(),
            _ => Api.Ok(PackageDto.Of(package!)),
        };
    }

    private static IResult ProductIdTaken() => Api.Conflict("PRODUCT_ID_TAKEN", "Another vote package already uses this product id");

    /// <summary>The given fields over <paramref name="d"/>, checked by the catalog's rules.</summary>
    private static VotePackageDraft? Apply(PackageBody b, VotePackageDraft d, out IResult? problem)
    {
        problem = null;
        long? cents = null;
        if (b.Price is { } price && (cents = PackageRules.Cents(price)) is null)
        {
            problem = Api.BadRequest("Invalid value for field 'price': a non-negative amount with at most two decimals");
            return null;
        }
        static string? Clearable(string? given, string? current) => given is null ? current : given.Length == 0 ? null : given.Trim();
        var draft = new VotePackageDraft(b.Name?.Trim() ?? d.Name, b.VoteCount ?? d.VoteCount, b.BonusVotes ?? d.BonusVotes, cents ?? d.PriceCents,
            b.Currency ?? d.Currency, Clearable(b.BadgeText, d.BadgeText), b.SortOrder ?? d.SortOrder, Clearable(b.IosProductId, d.IosProductId),
            Clearable(b.AndroidProductId, d.AndroidProductId), b.Active ?? d.Active);
        if (PackageRules.Check(draft) is { } broken)
        {
            problem = Api.BadRequest($"Invalid value for field '{broken.Field}': {broken.Message}");
            return null;
        }
        return draft;
    }

    private static async Task<IResult> PurchasesAsync(IPurchaseStore store, [FromQuery(Name = "user_id")] string? userId, string? platform, string? status,
        [FromQuery(Name = "before_id")] string? beforeId, string? limit,
        CancellationToken ct)
    {
        VoterId? voter = null;
        if (userId is not null)
        {
            if (Api.Id(userId) is not { } v) return Api.BadRequest("user_id must be a positive integer");
            voter = new VoterId(v);
        }
        if (platform is not null && !PurchasePlatforms.All.Contains(platform)) return Api.BadRequest("platform must be one of ios, android, test");
        if (status is not null && !Statuses.Contains(status)) return Api.BadRequest("status must be one of credited, refunded");
        long? before = null;
        if (beforeId is not null && (before = Api.Id(beforeId)) is null) return Api.BadRequest("before_id must be a positive integer");
        var size = 50;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxPageSize))
            return Api.BadRequest($"limit must be 1-{MaxPageSize}");
        // One more than a page: whether there is a next page is known, not guessed.
        var fetched = await store.ListPurchasesAsync(voter, platform, status, before, size + 1, ct);
        var rows = fetched.Take(size).ToList();
        return Api.Ok(new AdminPurchasesResponse([.. rows.Select(p => new AdminPurchaseDto(p.Id, p.Voter.Value, p.Platform, p.TransactionId, p.ProductId,
            p.PackageId, p.PackageName, p.Quantity, p.Votes, PackageRules.Price(p.AmountCents), p.Currency, p.Environment, p.Status, p.PurchasedAt,
            p.CreatedAt, p.RefundedAt))], fetched.Count > size ? rows[^1].Id : null));
    }

    private static async Task<IResult> RevenueAsync(string id, IPurchaseStore store, CancellationToken ct)
    {
        if (Api.Id(id) is not { } episode || await store.GetPackageRevenueAsync(new EpisodeId(episode), ct) is not { } r)
            return Api.NotFound("EPISODE_NOT_FOUND", "Episode not found");
        var refunded = r.RefundedAmount.ToDictionary(a => a.Currency, a => a.Cents);
        return Api.Ok(new RevenueResponse(episode, r.Purchases, r.Votes, r.Refunded,
            [.. r.Gross.Select(a => new AmountDto(a.Currency, PackageRules.Price(a.Cents)))],
            [.. r.RefundedAmount.Select(a => new AmountDto(a.Currency, PackageRules.Price(a.Cents)))],
            [.. r.Gross.Select(a => new AmountDto(a.Currency, PackageRules.Price(a.Cents - refunded.GetValueOrDefault(a.Currency))))]));
    }

    private static async Task<IResult> WalletsAsync(IWalletStore store, CancellationToken ct)
    {
        var audit = await store.AuditWalletsAsync(ct);
        return Api.Ok(new WalletAuditResponse(audit.Voters, audit.Mismatched, audit.Consistent,
            [.. audit.Examples.Select(m => new WalletMismatchDto(m.Voter.Value, m.Balance, m.Entries, m.PaidVotes))]));
    }
}
