using Voting.Domain.Purchases;

namespace Voting.Domain.Tests.Purchases;

public class GooglePurchaseRulesTests
{
    private const string Account = "7d0f3b8e-1a2b-4c5d-8e9f-001122334455";

    private static GoogleProductPurchase Purchased(int? state = 0, int? type = null, string? account = Account, int? quantity = 1, int? consumed = 0,
        string? order = "GPA.1234-5678-9012-34567") => new(state, consumed, type, order, account, quantity, 1_700_000_000_000, "votes_50");

    public static TheoryData<GoogleProductPurchase, bool, GoogleVerdict> Cases => new()
    {
        { Purchased(), false, GoogleVerdict.Credit },
        { Purchased(state: 1), true, GoogleVerdict.NotCompleted },
        { Purchased(state: 2), true, GoogleVerdict.NotCompleted },
        { Purchased(state: 7), true, GoogleVerdict.Malformed },
        { Purchased(state: null), true, GoogleVerdict.Malformed },
        { Purchased(type: 0), false, GoogleVerdict.TestPurchaseRefused },
        { Purchased(type: 0), true, GoogleVerdict.Credit },
        { Purchased(type: 1), false, GoogleVerdict.Credit },
        { Purchased(type: 9), true, GoogleVerdict.Malformed },
        { Purchased(account: null), true, GoogleVerdict.AccountMismatch },
        { Purchased(account: "someone-else"), true, GoogleVerdict.AccountMismatch },
        { Purchased(account: Account.ToUpperInvariant()), true, GoogleVerdict.Credit },
        { Purchased(quantity: 0), true, GoogleVerdict.Malformed },
        { Purchased(quantity: 101), true, GoogleVerdict.Malformed },
        { Purchased(consumed: 1), true, GoogleVerdict.AlreadyConsumed },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_rule_decides_on_its_own(GoogleProductPurchase purchase, bool allowTests, GoogleVerdict expected) =>
        Assert.Equal(expected, GooglePurchaseRules.Judge(purchase, "token-1", Account, allowTests).Verdict);

    [Fact]
    public void A_credit_names_the_order_and_a_test_purchase_without_one_is_named_by_its_token()
    {
        var real = GooglePurchaseRules.Judge(Purchased(quantity: 3), "token-1", Account, false);
        var test = GooglePurchaseRules.Judge(Purchased(type: 0, order: null), "token-1", Account, true);
        var again = GooglePurchaseRules.Judge(Purchased(type: 0, order: null), "token-1", Account, true);

        Assert.Equal("GPA.1234-5678-9012-34567", real.TransactionId);
        Assert.Equal(3, real.Quantity);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000), real.PurchasedAt);
        Assert.StartsWith("token:", test.TransactionId);
        Assert.Equal(test.TransactionId, again.TransactionId);
        Assert.NotEqual(test.TransactionId, GooglePurchaseRules.Judge(Purchased(type: 0, order: null), "token-2", Account, true).TransactionId);
    }

    [Fact]
    public void A_mismatch_still_names_its_transaction_so_a_receipt_credited_elsewhere_is_recognised() =>
        Assert.Equal("GPA.1234-5678-9012-34567", GooglePurchaseRules.Judge(Purchased(account: "x"), "t", Account, true).TransactionId);
}

public class PackageRulesTests
{
    private static VotePackageDraft Draft => new("60 Votes", 50, 10, 399, "USD", "Popular", 2, "com.hangmeas.votes.50", "votes_50", true);

    [Fact]
    public void The_demo_catalog_is_valid_and_a_package_totals_its_bonus()
    {
        Assert.All(PackageRules.Demo, d => Assert.Null(PackageRules.Check(d)));
        Assert.Equal([10L, 60L, 250L, 1200L], PackageRules.Demo.Select(d => d.VoteCount + d.BonusVotes));
        Assert.Equal([0.99m, 3.99m, 9.99m, 39.99m], PackageRules.Demo.Select(d => PackageRules.Price(d.PriceCents)));
    }

    [Theory]
    [InlineData("name")]
    [InlineData("vote_count")]
    [InlineData("bonus_votes")]
    [InlineData("currency")]
    [InlineData("ios_product_id")]
    [InlineData("android_product_id")]
    [InlineData("badge_text")]
    public void Each_field_is_checked(string field)
    {
        var broken = field switch
        {
            "name" => Draft with { Name = " " },
            "vote_count" => Draft with { VoteCount = 0 },
            "bonus_votes" => Draft with { BonusVotes = -1 },
            "currency" => Draft with { Currency = "usd" },
            "ios_product_id" => Draft with { IosProductId = "com.hangmeas/votes" },
            "android_product_id" => Draft with { AndroidProductId = "" },
            _ => Draft with { BadgeText = new string('x', 41) },
        };
        Assert.Equal(field, PackageRules.Check(broken)?.Field);
    }

    [Theory]
    [InlineData("3.99", 399L)]
    [InlineData("0", 0L)]
    [InlineData("0.999", null)]
    [InlineData("-1", null)]
    public void Prices_are_whole_cents(string price, long? cents) =>
        Assert.Equal(cents, PackageRules.Cents(decimal.Parse(price, System.Globalization.CultureInfo.InvariantCulture)));
}
