namespace Voting.Domain.Purchases;

/// <summary>
/// The fields of Google Play's <c>purchases.products.get</c> answer (Android Publisher v3,
/// ProductPurchase) that decide a credit. Numbers Google sends as strings are parsed by the caller.
/// </summary>
/// <param name="PurchaseState">0 purchased, 1 cancelled, 2 pending.</param>
/// <param name="ConsumptionState">0 not yet consumed, 1 consumed.</param>
/// <param name="PurchaseType">Absent for a real purchase; 0 test (licence tester), 1 promo code, 2 rewarded.</param>
public sealed record GoogleProductPurchase(int? PurchaseState, int? ConsumptionState, int? PurchaseType, string? OrderId,
    string? ObfuscatedExternalAccountId, int? Quantity, long? PurchaseTimeMillis, string? ProductId);

public enum GoogleVerdict { Credit, NotCompleted, AccountMismatch, TestPurchaseRefused, AlreadyConsumed, Malformed }

/// <summary>What Google's answer means for a credit, with the transaction id and quantity to credit.</summary>
public sealed record GoogleJudgement(GoogleVerdict Verdict, string Detail, string? TransactionId = null, int Quantity = 0, DateTimeOffset? PurchasedAt = null);

/// <summary>The rules of a Google Play purchase, without I/O.</summary>
public static class GooglePurchaseRules
{
    public const int MaxQuantity = 100;

    /// <param name="purchaseToken">The token the app sent (names a test purchase that has no orderId).</param>
    /// <param name="accountToken">The voter's account token the app set as obfuscatedAccountId.</param>
    /// <param name="allowTestPurchases">False in Production: a licence tester's purchase credits nothing there.</param>
    public static GoogleJudgement Judge(GoogleProductPurchase p, string purchaseToken, string accountToken, bool allowTestPurchases)
    {
        if (p.PurchaseState is not { } state) return new(GoogleVerdict.Malformed, "Google's answer has no purchaseState");
        if (state == 1) return new(GoogleVerdict.NotCompleted, "The purchase was cancelled");
        if (state == 2) return new(GoogleVerdict.NotCompleted, "The purchase is pending payment");
        if (state != 0) return new(GoogleVerdict.Malformed, $"Unknown purchaseState {state}");
        if (p.PurchaseType == 0 && !allowTestPurchases) return new(GoogleVerdict.TestPurchaseRefused, "A test purchase credits nothing in Production");
        if (p.PurchaseType is { } type and not (0 or 1 or 2)) return new(GoogleVerdict.Malformed, $"Unknown purchaseType {type}");
        var quantity = p.Quantity ?? 1;
        if (quantity is < 1 or > MaxQuantity) return new(GoogleVerdict.Malformed, $"quantity {quantity} is out of range");
        // A test purchase has no orderId: its token names it.
        var transaction = string.IsNullOrEmpty(p.OrderId) ? "token:" + TokenDigest(purchaseToken) : p.OrderId;
        DateTimeOffset? at = p.PurchaseTimeMillis is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        // Last, with the transaction named: a receipt already credited to another voter is told apart from one bought for another account.
        if (!string.Equals(p.ObfuscatedExternalAccountId, accountToken, StringComparison.OrdinalIgnoreCase))
            return new(GoogleVerdict.AccountMismatch, p.ObfuscatedExternalAccountId is null
                ? "The purchase was made without the voter's account token (obfuscatedAccountId)"
                : "The purchase was made for another voter's account token", transaction, quantity, at);
        if (p.ConsumptionState == 1) return new(GoogleVerdict.AlreadyConsumed, "The purchase was already consumed", transaction, quantity, at);
        return new(GoogleVerdict.Credit, "", transaction, quantity, at);
    }

    /// <summary>A short, stable name for a purchase token (tokens are long).</summary>
    public static string TokenDigest(string token) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)))[..32];
}
