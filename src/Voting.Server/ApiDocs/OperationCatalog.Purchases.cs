namespace Voting.Server.ApiDocs;

public static partial class OperationCatalog
{
    private static void AddPurchases()
    {
        const string admin = "/api/v1/admin";
        Add("GET /api/v1/me", new("getProfile", "Profile", "The signed-in voter's profile",
            "account_token is a UUID fixed per voter: the app passes it to the store as appAccountToken (iOS) or obfuscatedAccountId (Android). " +
            "loyalty_tier follows lifetime points: bronze from 0, silver 500, gold 2,000, platinum 10,000.")
        {
            Access = Access.Viewer,
            ResponseExample = """
                { "success": true, "data": { "user_id": 7, "phone_number": "012345678", "display_name": "Dara", "province": "Siem Reap", "gender": "female",
                  "date_of_birth": "2001-04-13", "loyalty_points": 32, "loyalty_tier": "bronze", "account_token": "7d0f3b8e-1a2b-4c5d-8e9f-001122334455",
                  "created_at": "2026-11-30T12:00:00+00:00" } }
                """,
        });
        Add("PATCH /api/v1/me", new("updateProfile", "Profile", "Change the signed-in voter's profile",
            "Fields sent are set, fields sent as null are cleared, fields left out are unchanged; every field is checked before anything is written. " +
            "province is one of Cambodia's 25 (any case); gender female, male or other; date_of_birth YYYY-MM-DD, not in the future, at most 120 years ago.")
        {
            Access = Access.Viewer,
            Errors = Errors((422, E("INVALID_PROVINCE", "INVALID_DATE_OF_BIRTH"))),
            RequestExample = """{ "display_name": "Dara", "province": "Siem Reap", "gender": "female", "date_of_birth": "2001-04-13" }""",
        });
        Add("GET /api/v1/xfactor/vote_packages", new("listVotePackages", "Purchases", "The vote packages on sale",
            "The active packages by sort_order; the same list fills current_episode.vote_packages and vote_balance.available_packages. " +
            "With ?platform=ios or android, only the packages sold in that store (those with its product id).")
        {
            Errors = Errors((400, E("INVALID_REQUEST"))),
        });
        Add("POST /api/v1/xfactor/purchases", new("purchaseVotePackage", "Purchases", "Credit a vote package bought in a store",
            "One of { platform: ios, signed_transaction: <StoreKit 2 JWS> }, { platform: android, product_id, purchase_token } or, while the test store " +
            "is enabled (Development), { platform: test, package_id } (an Idempotency-Key names the test purchase). The receipt is verified first " +
            "(Apple offline, Google over HTTP); then the purchase and its wallet credit commit together, once per store transaction: the same " +
            "transaction again answers the first purchase with duplicate true. Retry 503 with the same body; do not retry 422 or 409.")
        {
            Access = Access.Viewer,
            Headers = [ApiHeaders.IdempotencyKey],
            Errors = Errors((404, E("NOT_FOUND")), (409, E("RECEIPT_ALREADY_USED")),
                (422, E("INVALID_RECEIPT", "UNKNOWN_PRODUCT", "RECEIPT_ACCOUNT_MISMATCH", "PURCHASE_NOT_COMPLETED")), (503, E("VERIFIER_UNAVAILABLE"))),
            RequestExample = """{ "platform": "android", "product_id": "votes_50", "purchase_token": "opaque-token-from-google-play" }""",
            ResponseExample = """
                { "success": true, "data": { "purchase_id": 12, "platform": "android", "transaction_id": "GPA.3312-5521-0042-77120",
                  "package": { "id": 2, "name": "60 Votes", "vote_count": 50, "bonus_votes": 10, "total_votes": 60, "price": 3.99, "currency": "USD",
                    "badge_text": "Popular", "sort_order": 2, "ios_product_id": "com.hangmeas.votes.50", "android_product_id": "votes_50", "active": true },
                  "votes_credited": 60, "balance": 60, "duplicate": false } }
                """,
        });
        Add("POST /webhooks/appstore", new("receiveAppStoreNotification", "Purchases", "App Store Server Notifications V2",
            "{ signedPayload } verified like a transaction (chain to Apple's root, ES256, bundle id, environment). REFUND debits the purchase's votes " +
            "(the balance may go below zero), REFUND_REVERSED credits them back, other types are recorded; each notificationUUID is applied once. " +
            "A payload that fails verification is 401 INVALID_SIGNATURE and changes nothing.")
        {
            Access = Access.SignedBody,
            Errors = Errors((400, E("INVALID_REQUEST")), (401, E("INVALID_SIGNATURE"))),
        });
        Add("POST /webhooks/googleplay", new("receiveGooglePlayNotification", "Purchases", "Google Play refunds by Pub/Sub push",
            "A Pub/Sub push message whose data is a Real-time developer notification; a voidedPurchaseNotification debits the purchase's votes, " +
            "each messageId applied once. 503 when Google's keys cannot be fetched (Pub/Sub retries).")
        {
            Access = Access.GoogleOidc,
            Errors = Errors((400, E("INVALID_REQUEST")), (503, E("VERIFIER_UNAVAILABLE"))),
        });

        Op($"GET {admin}/vote_packages", new("listAllVotePackages", "Purchases", "The whole catalog, inactive packages included", "By sort_order."));
        Op($"POST {admin}/vote_packages", new("createVotePackage", "Purchases", "Add a vote package",
            "name, vote_count and price are required; currency defaults to USD. 201 with the package. A product id another package uses is 409.")
        {
            Errors = Errors((409, E("PRODUCT_ID_TAKEN"))),
            RequestExample = """{ "name": "60 Votes", "vote_count": 50, "bonus_votes": 10, "price": 3.99, "currency": "USD", "badge_text": "Popular", "sort_order": 2, "ios_product_id": "com.hangmeas.votes.50", "android_product_id": "votes_50" }""",
        });
        Op($"PATCH {admin}/vote_packages/{{id}}", new("updateVotePackage", "Purchases", "Change a vote package",
            "Fields given are set; an empty string clears a product id or the badge. Purchases already credited keep what they were sold at.")
        {
            Errors = Errors((404, E("PACKAGE_NOT_FOUND")), (409, E("PRODUCT_ID_TAKEN"))),
        });
        Op($"GET {admin}/purchases", new("listPurchases", "Purchases", "Every purchase, newest first",
            "Filters user_id, platform, status (credited, refunded); pages with before_id = next_before_id; limit 1-200 (50)."));
        Op($"GET {admin}/episodes/{{id}}/revenue", new("getEpisodeRevenue", "Purchases", "Package sales in an episode's voting window",
            "Purchases credited between voting_start and voting_end: count, votes, refunds, gross, refunded and net per currency.")
        {
            Errors = Errors((404, E("EPISODE_NOT_FOUND"))),
        });
        Op($"GET {admin}/audit/wallets", new("auditWallets", "Operator", "Check every wallet against its ledger",
            "For each voter: wallet entries (credits, purchases, refund debits) minus paid votes that still spend equals the balance; the first 20 that do not are listed."));
    }
}
