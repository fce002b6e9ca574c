using System.Buffers.Text;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Voting.Domain.Purchases;

namespace Voting.TestSupport;

/// <summary>How to make an <see cref="AppleTestCa"/>'s certificates; every default is a chain the verifier accepts today.</summary>
public sealed record AppleTestCaOptions
{
    public DateTimeOffset? LeafNotBefore { get; init; }
    public DateTimeOffset? LeafNotAfter { get; init; }
    public DateTimeOffset? IntermediateNotBefore { get; init; }
    public DateTimeOffset? IntermediateNotAfter { get; init; }
    public bool LeafHasAppleOid { get; init; } = true;
    public bool IntermediateHasAppleOid { get; init; } = true;
    public AppleTestLeafKey LeafKey { get; init; } = AppleTestLeafKey.P256;
    /// <summary>Issue the intermediate under this CA's root instead of a new one (a sibling chain to the same root).</summary>
    public AppleTestCa? SameRootAs { get; init; }
}

public enum AppleTestLeafKey { P256, P384, Rsa }

/// <summary>One way to spoil a JWS after it is signed correctly (or while it is built).</summary>
public enum JwsFlaw
{
    None, TwoParts, FourParts, EmptySignature, PayloadNotBase64Url, PaddedPayload, HeaderNotJson, PayloadNotJson, PayloadNotObject,
    AlgNone, AlgHs256, AlgMissing, X5cMissing, X5cOfTwo, X5cOfFour, X5cNotBase64, X5cNotCertificate,
    TamperedPayload, TamperedSignature, DerSignature, SignedByAnotherKey,
}

/// <summary>
/// A certificate hierarchy shaped like Apple's (P-384 root, P-384 intermediate with the WWDR OID,
/// P-256 leaf with the App Store receipt-signing OID, both OIDs as DER NULL extensions) that signs
/// StoreKit 2 style JWS, plus knobs for every broken variant.
/// </summary>
public sealed class AppleTestCa : IDisposable
{
    public const string BundleId = "com.hangmeas.xfactor";

    private readonly ECDsa _rootKey, _intermediateKey;
    private readonly AsymmetricAlgorithm _leafKey;
    private readonly bool _ownsRoot;

    public AppleTestCa(AppleTestCaOptions? options = null)
    {
        options ??= new AppleTestCaOptions();
        var now = DateTimeOffset.UtcNow;
        if (options.SameRootAs is { } parent)
        {
            _rootKey = parent._rootKey;
            RootCertificate = parent.RootCertificate;
        }
        else
        {
            _ownsRoot = true;
            _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            var request = new CertificateRequest("CN=XFactor Test Root CA - G3, OU=Tests, O=XFactor Voting, C=KH", _rootKey, HashAlgorithmName.SHA384);
            AddCaExtensions(request, request.PublicKey, pathLength: null);
            RootCertificate = request.CreateSelfSigned(now.AddYears(-20), now.AddYears(20));
        }

        _intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var intermediateRequest = new CertificateRequest("CN=XFactor Test WWDR CA G6, OU=Tests, O=XFactor Voting, C=KH", _intermediateKey, HashAlgorithmName.SHA384);
        AddCaExtensions(intermediateRequest, intermediateRequest.PublicKey, pathLength: 0);
        intermediateRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(RootCertificate, true, false));
        if (options.IntermediateHasAppleOid) intermediateRequest.CertificateExtensions.Add(AppleMarker(AppStoreVerifier.IntermediateOid));
        IntermediateCertificate = intermediateRequest.Create(RootCertificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_rootKey),
            options.IntermediateNotBefore ?? now.AddYears(-10), options.IntermediateNotAfter ?? now.AddYears(10), Serial());

        CertificateRequest leafRequest;
        (_leafKey, leafRequest) = options.LeafKey switch
        {
            AppleTestLeafKey.Rsa => LeafRequest(RSA.Create(2048)),
            AppleTestLeafKey.P384 => LeafRequest(ECDsa.Create(ECCurve.NamedCurves.nistP384)),
            _ => LeafRequest(ECDsa.Create(ECCurve.NamedCurves.nistP256)),
        };
        leafRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leafRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        leafRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(IntermediateCertificate, true, false));
        if (options.LeafHasAppleOid) leafRequest.CertificateExtensions.Add(AppleMarker(AppStoreVerifier.LeafOid));
        LeafCertificate = leafRequest.Create(IntermediateCertificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_intermediateKey),
            options.LeafNotBefore ?? now.AddYears(-1), options.LeafNotAfter ?? now.AddYears(1), Serial());
    }

    public X509Certificate2 RootCertificate { get; }
    public X509Certificate2 IntermediateCertificate { get; }
    public X509Certificate2 LeafCertificate { get; }

    /// <summary>The settings of a verifier that trusts this CA's root only.</summary>
    public AppleVerifierSettings Settings(string environment = "Sandbox", bool isDevelopment = false) =>
        new([RootCertificate], BundleId, environment, isDevelopment);

    public string Sign(object payload, JwsFlaw flaw = JwsFlaw.None, IReadOnlyList<X509Certificate2>? x5c = null) =>
        Sign(payload as JsonNode ?? JsonSerializer.SerializeToNode(payload)!, flaw, x5c);

    /// <summary>
    /// A compact JWS of <paramref name="payload"/> signed by the leaf key, with x5c = leaf,
    /// intermediate, root unless <paramref name="x5c"/> says otherwise.
    /// </summary>
    public string Sign(JsonNode payload, JwsFlaw flaw = JwsFlaw.None, IReadOnlyList<X509Certificate2>? x5c = null)
    {
        var chain = (x5c ?? [LeafCertificate, IntermediateCertificate, RootCertificate]).Select(c => (JsonNode?)Convert.ToBase64String(c.RawData)).ToList();
        if (flaw == JwsFlaw.X5cOfTwo) chain.RemoveAt(2);
        if (flaw == JwsFlaw.X5cOfFour) chain.Add(chain[2]!.DeepClone());
        if (flaw == JwsFlaw.X5cNotBase64) chain[1] = "not base64!";
        if (flaw == JwsFlaw.X5cNotCertificate) chain[1] = Convert.ToBase64String("not a certificate"u8);
        var header = new JsonObject
        {
            ["alg"] = flaw switch { JwsFlaw.AlgNone => "none", JwsFlaw.AlgHs256 => "HS256", _ => "ES256" },
            ["x5c"] = new JsonArray(chain.ToArray()),
        };
        if (flaw == JwsFlaw.AlgMissing) header.Remove("alg");
        if (flaw == JwsFlaw.X5cMissing) header.Remove("x5c");

        var headerPart = flaw == JwsFlaw.HeaderNotJson ? Encode("{\"alg\":\"ES256\","u8) : Encode(header.ToJsonString());
        var payloadPart = flaw switch
        {
            JwsFlaw.PayloadNotJson => Encode("not json"u8),
            JwsFlaw.PayloadNotObject => Encode("[1,2,3]"u8),
            _ => Encode(payload.ToJsonString()),
        };
        var signingKey = flaw == JwsFlaw.SignedByAnotherKey ? ECDsa.Create(ECCurve.NamedCurves.nistP256) : _leafKey;
        var signature = SignBytes(signingKey, Encoding.ASCII.GetBytes($"{headerPart}.{payloadPart}"),
            flaw == JwsFlaw.DerSignature ? DSASignatureFormat.Rfc3279DerSequence : DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        if (signingKey != _leafKey) signingKey.Dispose();

        if (flaw == JwsFlaw.TamperedSignature) signature[10] ^= 0x01;
        if (flaw == JwsFlaw.TamperedPayload)
        {
            var tampered = payload.DeepClone();
            tampered["quantity"] = 100;
            payloadPart = Encode(tampered.ToJsonString());
        }
        if (flaw == JwsFlaw.PayloadNotBase64Url) payloadPart = payloadPart[..8] + "+/" + payloadPart[10..];
        if (flaw == JwsFlaw.PaddedPayload) payloadPart += new string('=', 4 - payloadPart.Length % 4);
        var signaturePart = flaw == JwsFlaw.EmptySignature ? "" : Base64Url.EncodeToString(signature);

        return flaw switch
        {
            JwsFlaw.TwoParts => $"{headerPart}.{payloadPart}",
            JwsFlaw.FourParts => $"{headerPart}.{payloadPart}.{signaturePart}.{signaturePart}",
            _ => $"{headerPart}.{payloadPart}.{signaturePart}",
        };
    }

    /// <summary>A StoreKit 2 JWSTransactionDecodedPayload for a consumable; a new transaction id each call.</summary>
    public static JsonObject TransactionPayload(string productId = "com.hangmeas.votes.10", int? quantity = 1, Guid? appAccountToken = null,
        string bundleId = BundleId, string environment = "Sandbox", string type = "Consumable", string? transactionId = null,
        string? originalTransactionId = null, DateTimeOffset? signedDate = null, DateTimeOffset? purchaseDate = null,
        long? price = 990, string? currency = "USD", DateTimeOffset? revocationDate = null)
    {
        var signed = signedDate ?? DateTimeOffset.UtcNow;
        transactionId ??= Random.Shared.NextInt64(2_000_000_000_000_000, 2_999_999_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var payload = new JsonObject
        {
            ["transactionId"] = transactionId,
            ["originalTransactionId"] = originalTransactionId ?? transactionId,
            ["bundleId"] = bundleId,
            ["productId"] = productId,
            ["purchaseDate"] = (purchaseDate ?? signed).ToUnixTimeMilliseconds(),
            ["originalPurchaseDate"] = (purchaseDate ?? signed).ToUnixTimeMilliseconds(),
            ["type"] = type,
            ["inAppOwnershipType"] = "PURCHASED",
            ["signedDate"] = signed.ToUnixTimeMilliseconds(),
            ["environment"] = environment,
            ["transactionReason"] = "PURCHASE",
            ["storefront"] = "KHM",
            ["storefrontId"] = "143579",
        };
        if (quantity is { } q) payload["quantity"] = q;
        if (appAccountToken is { } token) payload["appAccountToken"] = token.ToString();
        if (price is { } p) payload["price"] = p;
        if (currency is not null) payload["currency"] = currency;
        if (revocationDate is { } revoked)
        {
            payload["revocationDate"] = revoked.ToUnixTimeMilliseconds();
            payload["revocationReason"] = 0;
        }
        return payload;
    }

    /// <summary>An App Store Server Notification V2 payload (responseBodyV2DecodedPayload); no transaction for TEST.</summary>
    public static JsonObject NotificationPayload(string notificationType, string? signedTransactionInfo, string? subtype = null,
        string bundleId = BundleId, string environment = "Sandbox", DateTimeOffset? signedDate = null, Guid? notificationUuid = null)
    {
        var data = new JsonObject { ["appAppleId"] = 6_450_000_000, ["bundleId"] = bundleId, ["bundleVersion"] = "1", ["environment"] = environment };
        if (signedTransactionInfo is not null) data["signedTransactionInfo"] = signedTransactionInfo;
        var payload = new JsonObject
        {
            ["notificationType"] = notificationType,
            ["notificationUUID"] = (notificationUuid ?? Guid.NewGuid()).ToString(),
            ["data"] = data,
            ["version"] = "2.0",
            ["signedDate"] = (signedDate ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds(),
        };
        if (subtype is not null) payload["subtype"] = subtype;
        return payload;
    }

    public void Dispose()
    {
        _leafKey.Dispose();
        _intermediateKey.Dispose();
        LeafCertificate.Dispose();
        IntermediateCertificate.Dispose();
        if (!_ownsRoot) return;
        _rootKey.Dispose();
        RootCertificate.Dispose();
    }

    private static (AsymmetricAlgorithm, CertificateRequest) LeafRequest(AsymmetricAlgorithm key)
    {
        const string subject = "CN=Prod ECC Mac App Store and iTunes Store Receipt Signing, OU=Tests, O=XFactor Voting, C=KH";
        return (key, key switch
        {
            RSA rsa => new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(subject, ec, HashAlgorithmName.SHA256),
            _ => throw new ArgumentException("Unsupported key", nameof(key)),
        });
    }

    private static byte[] SignBytes(AsymmetricAlgorithm key, byte[] data, DSASignatureFormat format) => key switch
    {
        ECDsa ec => ec.SignData(data, HashAlgorithmName.SHA256, format),
        RSA rsa => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
        _ => throw new ArgumentException("Unsupported key", nameof(key)),
    };

    private static void AddCaExtensions(CertificateRequest request, PublicKey publicKey, int? pathLength)
    {
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, pathLength is not null, pathLength ?? 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, false));
    }

    /// <summary>Apple marks its certificates with private extensions whose value is a DER NULL.</summary>
    private static X509Extension AppleMarker(string oid)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        writer.WriteNull();
        return new X509Extension(oid, writer.Encode(), critical: false);
    }

    private static byte[] Serial() => [0x01, .. RandomNumberGenerator.GetBytes(8)];

    private static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    private static string Encode(ReadOnlySpan<byte> utf8) => Base64Url.EncodeToString(utf8);
}
