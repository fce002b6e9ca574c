using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Voting.Domain.Purchases;
using Voting.TestSupport;

namespace Voting.Domain.Tests.Purchases;

public sealed class AppStoreVerifierTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly List<AppleTestCa> _cas = [];

    /// <summary>Makes the verifier's settings and the JWS of one case; every CA it makes goes through newCa.</summary>
    private delegate (AppleVerifierSettings Settings, string Jws) Scenario(Func<AppleTestCaOptions?, AppleTestCa> newCa);

    private static (AppleVerifierSettings, string) Flawed(Func<AppleTestCaOptions?, AppleTestCa> newCa, JwsFlaw flaw)
    {
        var ca = newCa(null);
        return (ca.Settings(), ca.Sign(AppleTestCa.TransactionPayload(), flaw));
    }

    private static (AppleVerifierSettings, string) WithCa(Func<AppleTestCaOptions?, AppleTestCa> newCa, AppleTestCaOptions options)
    {
        var ca = newCa(options);
        return (ca.Settings(), ca.Sign(AppleTestCa.TransactionPayload()));
    }

    private static (AppleVerifierSettings, string) WithPayload(Func<AppleTestCaOptions?, AppleTestCa> newCa, Action<JsonObject> edit)
    {
        var ca = newCa(null);
        var payload = AppleTestCa.TransactionPayload();
        edit(payload);
        return (ca.Settings(), ca.Sign(payload));
    }

    private static (AppleVerifierSettings, string) AttackerSigns(Func<AppleTestCaOptions?, AppleTestCa> newCa,
        Func<AppleTestCa, AppleTestCa, X509Certificate2[]> x5c)
    {
        var (apple, attacker) = (newCa(null), newCa(null));
        return (apple.Settings(), attacker.Sign(AppleTestCa.TransactionPayload(), x5c: x5c(apple, attacker)));
    }

    private static (AppleVerifierSettings, string) SiblingIntermediate(Func<AppleTestCaOptions?, AppleTestCa> newCa)
    {
        var apple = newCa(null);
        var sibling = newCa(new() { SameRootAs = apple });
        return (apple.Settings(), apple.Sign(AppleTestCa.TransactionPayload(), x5c: [apple.LeafCertificate, sibling.IntermediateCertificate, apple.RootCertificate]));
    }

    private static (AppleVerifierSettings, string) IntermediateAsRoot(Func<AppleTestCaOptions?, AppleTestCa> newCa)
    {
        var ca = newCa(null);
        return (ca.Settings() with { Roots = [ca.IntermediateCertificate] }, ca.Sign(AppleTestCa.TransactionPayload()));
    }

    /// <summary>A development-only environment, configured but outside Development.</summary>
    private static (AppleVerifierSettings, string) ConfiguredFor(Func<AppleTestCaOptions?, AppleTestCa> newCa, string environment)
    {
        var ca = newCa(null);
        return (ca.Settings(environment), ca.Sign(AppleTestCa.TransactionPayload(environment: environment)));
    }

    private static readonly Dictionary<string, (AppleFailure Expected, Scenario Make)> Refusals = new()
    {
        ["two parts"] = (AppleFailure.Malformed, n => Flawed(n, JwsFlaw.TwoParts)),
        ["four parts"] = (AppleFailure.Malformed, n => Flawed(n, JwsFlaw.FourParts)),
        ["empty signature part"] = (AppleFailure.Malformed, n => Flawed(n, JwsFlaw.EmptySignature)),
        ["payload in standard base64"] = (AppleFailure.Malformed, n => Flawed(n, JwsFlaw.PayloadNotBase64Url)),
        ["padded payload"] = (AppleFailure.Malformed, n => Flawed(n, JwsFlaw.PaddedPayload)),
        ["header not JSON"] = (AppleFailure.Malformed, n => Flawed(n, JwsFlaw.HeaderNotJson)),
        ["payload not JSON"] = (AppleFailure.Malformed, n => Flawed(n, JwsFlaw.PayloadNotJson)),
        ["payload not an object"] = (AppleFailure.Malformed, n => Flawed(n, JwsFlaw.PayloadNotObject)),
        ["alg none"] = (AppleFailure.UnsupportedAlgorithm, n => Flawed(n, JwsFlaw.AlgNone)),
        ["alg HS256"] = (AppleFailure.UnsupportedAlgorithm, n => Flawed(n, JwsFlaw.AlgHs256)),
        ["alg missing"] = (AppleFailure.UnsupportedAlgorithm, n => Flawed(n, JwsFlaw.AlgMissing)),
        ["x5c missing"] = (AppleFailure.Malformed, n => Flawed(n, JwsFlaw.X5cMissing)),
        ["x5c of 2"] = (AppleFailure.Malformed, n => Flawed(n, JwsFlaw.X5cOfTwo)),
        ["x5c of 4"] = (AppleFailure.Malformed, n => Flawed(n, JwsFlaw.X5cOfFour)),
        ["x5c entry not base64"] = (AppleFailure.Malformed, n => Flawed(n, JwsFlaw.X5cNotBase64)),
        ["x5c entry not a certificate"] = (AppleFailure.Malformed, n => Flawed(n, JwsFlaw.X5cNotCertificate)),
        ["signedDate missing"] = (AppleFailure.MissingField, n => WithPayload(n, p => p.Remove("signedDate"))),
        ["signedDate not a number"] = (AppleFailure.Malformed, n => WithPayload(n, p => p["signedDate"] = "yesterday")),
        ["leaf expired"] = (AppleFailure.CertificateChain, n => WithCa(n, new() { LeafNotBefore = Now.AddYears(-2), LeafNotAfter = Now.AddDays(-1) })),
        ["leaf not yet valid"] = (AppleFailure.CertificateChain, n => WithCa(n, new() { LeafNotBefore = Now.AddDays(1), LeafNotAfter = Now.AddYears(1) })),
        ["intermediate expired"] = (AppleFailure.CertificateChain, n => WithCa(n, new() { IntermediateNotBefore = Now.AddYears(-5), IntermediateNotAfter = Now.AddDays(-1) })),
        ["intermediate not yet valid"] = (AppleFailure.CertificateChain, n => WithCa(n, new() { IntermediateNotBefore = Now.AddDays(1), IntermediateNotAfter = Now.AddYears(5) })),
        ["chain to another root"] = (AppleFailure.CertificateChain, n => (n(null).Settings(), n(null).Sign(AppleTestCa.TransactionPayload()))),
        ["attacker chain ending in the configured root"] = (AppleFailure.CertificateChain,
            n => AttackerSigns(n, (apple, attacker) => [attacker.LeafCertificate, attacker.IntermediateCertificate, apple.RootCertificate])),
        ["attacker leaf under the real intermediate"] = (AppleFailure.CertificateChain,
            n => AttackerSigns(n, (apple, attacker) => [attacker.LeafCertificate, apple.IntermediateCertificate, apple.RootCertificate])),
        ["x5c[1] a sibling intermediate of the same root"] = (AppleFailure.CertificateChain, SiblingIntermediate),
        ["intermediate configured as the root"] = (AppleFailure.CertificateChain, IntermediateAsRoot),
        ["leaf without the Apple OID"] = (AppleFailure.MissingAppleOid, n => WithCa(n, new() { LeafHasAppleOid = false })),
        ["intermediate without the Apple OID"] = (AppleFailure.MissingAppleOid, n => WithCa(n, new() { IntermediateHasAppleOid = false })),
        ["tampered payload"] = (AppleFailure.BadSignature, n => Flawed(n, JwsFlaw.TamperedPayload)),
        ["tampered signature"] = (AppleFailure.BadSignature, n => Flawed(n, JwsFlaw.TamperedSignature)),
        ["DER signature instead of P1363"] = (AppleFailure.BadSignature, n => Flawed(n, JwsFlaw.DerSignature)),
        ["signed by a key other than the leaf's"] = (AppleFailure.BadSignature, n => Flawed(n, JwsFlaw.SignedByAnotherKey)),
        ["RSA leaf"] = (AppleFailure.BadSignature, n => WithCa(n, new() { LeafKey = AppleTestLeafKey.Rsa })),
        ["P-384 leaf"] = (AppleFailure.BadSignature, n => WithCa(n, new() { LeafKey = AppleTestLeafKey.P384 })),
        ["another bundle"] = (AppleFailure.WrongBundle, n => WithPayload(n, p => p["bundleId"] = "com.example.other")),
        ["Production receipt in Sandbox"] = (AppleFailure.WrongEnvironment, n => WithPayload(n, p => p["environment"] = "Production")),
        ["Xcode outside Development"] = (AppleFailure.WrongEnvironment, n => ConfiguredFor(n, "Xcode")),
        ["LocalTesting outside Development"] = (AppleFailure.WrongEnvironment, n => ConfiguredFor(n, "LocalTesting")),
        ["non-consumable"] = (AppleFailure.NotConsumable, n => WithPayload(n, p => p["type"] = "Non-Consumable")),
        ["subscription"] = (AppleFailure.NotConsumable, n => WithPayload(n, p => p["type"] = "Auto-Renewable Subscription")),
        ["bundleId missing"] = (AppleFailure.MissingField, n => WithPayload(n, p => p.Remove("bundleId"))),
        ["environment missing"] = (AppleFailure.MissingField, n => WithPayload(n, p => p.Remove("environment"))),
        ["type missing"] = (AppleFailure.MissingField, n => WithPayload(n, p => p.Remove("type"))),
        ["transactionId missing"] = (AppleFailure.MissingField, n => WithPayload(n, p => p.Remove("transactionId"))),
        ["originalTransactionId missing"] = (AppleFailure.MissingField, n => WithPayload(n, p => p.Remove("originalTransactionId"))),
        ["productId null"] = (AppleFailure.MissingField, n => WithPayload(n, p => p["productId"] = null)),
        ["purchaseDate missing"] = (AppleFailure.MissingField, n => WithPayload(n, p => p.Remove("purchaseDate"))),
        ["quantity 0"] = (AppleFailure.Malformed, n => WithPayload(n, p => p["quantity"] = 0)),
        ["quantity 101"] = (AppleFailure.Malformed, n => WithPayload(n, p => p["quantity"] = 101)),
        ["quantity as text"] = (AppleFailure.Malformed, n => WithPayload(n, p => p["quantity"] = "2")),
        ["appAccountToken not a UUID"] = (AppleFailure.Malformed, n => WithPayload(n, p => p["appAccountToken"] = "voter-42")),
        ["price not an integer"] = (AppleFailure.Malformed, n => WithPayload(n, p => p["price"] = 0.99)),
    };

    public static TheoryData<string> RefusalNames => [.. Refusals.Keys];

    [Theory]
    [MemberData(nameof(RefusalNames))]
    public void EachCheckRefusesOnItsOwn(string name)
    {
        var (expected, make) = Refusals[name];
        var (settings, jws) = make(NewCa);

        var result = new AppStoreVerifier(settings).VerifyTransaction(jws);

        Assert.Equal(expected, result.Failure);
        Assert.False(result.Ok);
        Assert.Null(result.Value);
        Assert.False(string.IsNullOrWhiteSpace(result.Detail));
    }

    [Fact]
    public void AValidConsumableGivesEveryField()
    {
        var ca = NewCa(null);
        var token = Guid.NewGuid();
        var signed = DateTimeOffset.FromUnixTimeMilliseconds(Now.AddMinutes(-1).ToUnixTimeMilliseconds());
        var purchased = signed.AddSeconds(-5);
        var revoked = signed.AddSeconds(-1);
        var jws = ca.Sign(AppleTestCa.TransactionPayload(productId: "com.hangmeas.votes.50", quantity: 3, appAccountToken: token,
            transactionId: "2000000123456789", originalTransactionId: "2000000000000001", signedDate: signed, purchaseDate: purchased,
            price: 3990, currency: "USD", revocationDate: revoked));

        var result = new AppStoreVerifier(ca.Settings()).VerifyTransaction(jws);

        Assert.True(result.Ok, result.Detail);
        Assert.Equal(new AppleTransaction("2000000123456789", "2000000000000001", "com.hangmeas.votes.50", AppleTestCa.BundleId, 3,
            "Consumable", token, purchased, signed, "Sandbox", 3990, "USD", revoked), result.Value);
    }

    [Fact]
    public void QuantityAndTheOptionalFieldsHaveDefaults()
    {
        var ca = NewCa(null);
        var jws = ca.Sign(AppleTestCa.TransactionPayload(quantity: null, price: null, currency: null));

        var tx = new AppStoreVerifier(ca.Settings()).VerifyTransaction(jws).Value!;

        Assert.Equal((1, null, null, null, null), (tx.Quantity, tx.AppAccountToken, tx.Price, tx.Currency, tx.RevocationDate));
    }

    [Fact]
    public void XcodeReceiptsAreAcceptedInDevelopment()
    {
        var ca = NewCa(null);
        var jws = ca.Sign(AppleTestCa.TransactionPayload(environment: "Xcode"));

        var result = new AppStoreVerifier(ca.Settings("Xcode", isDevelopment: true)).VerifyTransaction(jws);

        Assert.True(result.Ok, result.Detail);
        Assert.Equal("Xcode", result.Value!.Environment);
    }

    [Fact]
    public void AChainCarryingTheAttackersOwnRootFailsWhenAnotherRootIsConfigured()
    {
        var (apple, attacker) = (NewCa(null), NewCa(null));
        var jws = attacker.Sign(AppleTestCa.TransactionPayload());

        Assert.True(new AppStoreVerifier(attacker.Settings()).VerifyTransaction(jws).Ok);
        var result = new AppStoreVerifier(apple.Settings()).VerifyTransaction(jws);

        Assert.Equal(AppleFailure.CertificateChain, result.Failure);
        Assert.Contains("PartialChain", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void TheChainIsJudgedAtSignedDate()
    {
        var expired = NewCa(new() { LeafNotBefore = Now.AddYears(-2), LeafNotAfter = Now.AddYears(-1) });
        var notYetValid = NewCa(new() { LeafNotBefore = Now.AddDays(-1), LeafNotAfter = Now.AddYears(1) });

        var signedWhileValid = expired.Sign(AppleTestCa.TransactionPayload(signedDate: Now.AddMonths(-18)));
        var signedBeforeValid = notYetValid.Sign(AppleTestCa.TransactionPayload(signedDate: Now.AddDays(-2)));

        Assert.True(new AppStoreVerifier(expired.Settings()).VerifyTransaction(signedWhileValid).Ok);
        var refused = new AppStoreVerifier(notYetValid.Settings()).VerifyTransaction(signedBeforeValid);
        Assert.Equal(AppleFailure.CertificateChain, refused.Failure);
        Assert.Contains("NotTimeValid", refused.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ARememberedHeaderStillHasItsDateAndSignatureChecked()
    {
        var ca = NewCa(new() { LeafNotBefore = Now.AddDays(-10), LeafNotAfter = Now.AddDays(10) });
        var verifier = new AppStoreVerifier(ca.Settings());

        Assert.True(verifier.VerifyTransaction(ca.Sign(AppleTestCa.TransactionPayload())).Ok);
        Assert.True(verifier.VerifyTransaction(ca.Sign(AppleTestCa.TransactionPayload())).Ok);
        Assert.Equal(AppleFailure.CertificateChain, verifier.VerifyTransaction(ca.Sign(AppleTestCa.TransactionPayload(signedDate: Now.AddDays(11)))).Failure);
        Assert.Equal(AppleFailure.CertificateChain, verifier.VerifyTransaction(ca.Sign(AppleTestCa.TransactionPayload(signedDate: Now.AddDays(-11)))).Failure);
        Assert.Equal(AppleFailure.BadSignature, verifier.VerifyTransaction(ca.Sign(AppleTestCa.TransactionPayload(), JwsFlaw.TamperedPayload)).Failure);
        Assert.Equal(AppleFailure.WrongBundle, verifier.VerifyTransaction(ca.Sign(AppleTestCa.TransactionPayload(bundleId: "com.example"))).Failure);
        Assert.True(verifier.VerifyTransaction(ca.Sign(AppleTestCa.TransactionPayload())).Ok);
    }

    [Fact]
    public void ARefundNotificationCarriesItsVerifiedTransactionOfAnyType()
    {
        var ca = NewCa(null);
        var uuid = Guid.NewGuid();
        var inner = ca.Sign(AppleTestCa.TransactionPayload(type: "Non-Consumable", transactionId: "2000000000000042", revocationDate: Now));
        var jws = ca.Sign(AppleTestCa.NotificationPayload("REFUND", inner, notificationUuid: uuid));

        var result = new AppStoreVerifier(ca.Settings()).VerifyNotification(jws);

        Assert.True(result.Ok, result.Detail);
        var n = result.Value!;
        Assert.Equal(("REFUND", null, uuid.ToString(), AppleTestCa.BundleId, "Sandbox"), (n.NotificationType, n.Subtype, n.NotificationUuid, n.BundleId, n.Environment));
        Assert.Equal(("2000000000000042", "Non-Consumable"), (n.Transaction!.TransactionId, n.Transaction.Type));
        Assert.NotNull(n.Transaction.RevocationDate);
    }

    [Fact]
    public void ATestNotificationHasNoTransaction()
    {
        var ca = NewCa(null);
        var jws = ca.Sign(AppleTestCa.NotificationPayload("TEST", null));

        var result = new AppStoreVerifier(ca.Settings()).VerifyNotification(jws);

        Assert.True(result.Ok, result.Detail);
        Assert.Equal("TEST", result.Value!.NotificationType);
        Assert.Null(result.Value.Transaction);
    }

    [Fact]
    public void ANotificationWithASubtypeKeepsIt()
    {
        var ca = NewCa(null);
        var jws = ca.Sign(AppleTestCa.NotificationPayload("CONSUMPTION_REQUEST", ca.Sign(AppleTestCa.TransactionPayload()), subtype: "SOMETHING"));

        Assert.Equal("SOMETHING", new AppStoreVerifier(ca.Settings()).VerifyNotification(jws).Value!.Subtype);
    }

    [Fact]
    public void ANotificationRefusesABadInnerSignature()
    {
        var ca = NewCa(null);
        var inner = ca.Sign(AppleTestCa.TransactionPayload(), JwsFlaw.TamperedPayload);

        var result = new AppStoreVerifier(ca.Settings()).VerifyNotification(ca.Sign(AppleTestCa.NotificationPayload("REFUND", inner)));

        Assert.Equal(AppleFailure.BadSignature, result.Failure);
        Assert.StartsWith("data.signedTransactionInfo", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ANotificationRefusesAnInnerTransactionFromAnotherChain()
    {
        var (apple, attacker) = (NewCa(null), NewCa(null));
        var inner = attacker.Sign(AppleTestCa.TransactionPayload());

        var result = new AppStoreVerifier(apple.Settings()).VerifyNotification(apple.Sign(AppleTestCa.NotificationPayload("REFUND", inner)));

        Assert.Equal(AppleFailure.CertificateChain, result.Failure);
    }

    [Theory]
    [InlineData("com.example.other", "com.hangmeas.xfactor", AppleFailure.WrongBundle)]
    [InlineData("com.hangmeas.xfactor", "com.example.other", AppleFailure.WrongBundle)]
    public void ANotificationRefusesAnotherBundleInDataOrInItsTransaction(string dataBundle, string transactionBundle, AppleFailure expected)
    {
        var ca = NewCa(null);
        var inner = ca.Sign(AppleTestCa.TransactionPayload(bundleId: transactionBundle));
        var jws = ca.Sign(AppleTestCa.NotificationPayload("REFUND", inner, bundleId: dataBundle));

        Assert.Equal(expected, new AppStoreVerifier(ca.Settings()).VerifyNotification(jws).Failure);
    }

    [Fact]
    public void ANotificationRefusesAnotherEnvironmentMissingFieldsAndABadOuterSignature()
    {
        var ca = NewCa(null);
        var verifier = new AppStoreVerifier(ca.Settings());
        var noUuid = AppleTestCa.NotificationPayload("TEST", null);
        noUuid.Remove("notificationUUID");
        var noData = AppleTestCa.NotificationPayload("TEST", null);
        noData.Remove("data");

        Assert.Equal(AppleFailure.WrongEnvironment, verifier.VerifyNotification(ca.Sign(AppleTestCa.NotificationPayload("TEST", null, environment: "Production"))).Failure);
        Assert.Equal(AppleFailure.MissingField, verifier.VerifyNotification(ca.Sign(noUuid)).Failure);
        Assert.Equal(AppleFailure.MissingField, verifier.VerifyNotification(ca.Sign(noData)).Failure);
        Assert.Equal(AppleFailure.BadSignature, verifier.VerifyNotification(ca.Sign(AppleTestCa.NotificationPayload("TEST", null), JwsFlaw.SignedByAnotherKey)).Failure);
        Assert.Equal(AppleFailure.CertificateChain, verifier.VerifyNotification(NewCa(null).Sign(AppleTestCa.NotificationPayload("TEST", null))).Failure);
    }

    [Fact]
    public void TheEmbeddedRootIsApplesRootCaG3()
    {
        var root = AppStoreVerifier.AppleRootCaG3;

        Assert.Equal(AppStoreVerifier.AppleRootCaG3Sha256, Convert.ToHexString(SHA256.HashData(root.RawData)));
        Assert.Equal("Apple Root CA - G3", root.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
    }

    [Fact]
    public void TheRealAppleRootRefusesATestChain()
    {
        var ca = NewCa(null);
        var settings = new AppleVerifierSettings([AppStoreVerifier.AppleRootCaG3], AppleTestCa.BundleId, "Sandbox", false);

        Assert.Equal(AppleFailure.CertificateChain, new AppStoreVerifier(settings).VerifyTransaction(ca.Sign(AppleTestCa.TransactionPayload())).Failure);
    }

    [Fact]
    public void SettingsWithoutRootsAreRefused() =>
        Assert.Throws<ArgumentException>(() => new AppStoreVerifier(new AppleVerifierSettings([], AppleTestCa.BundleId, "Sandbox", false)));

    public void Dispose()
    {
        foreach (var ca in _cas) ca.Dispose();
    }

    private AppleTestCa NewCa(AppleTestCaOptions? options)
    {
        var ca = new AppleTestCa(options);
        _cas.Add(ca);
        return ca;
    }
}
