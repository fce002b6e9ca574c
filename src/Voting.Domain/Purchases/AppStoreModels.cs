using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Voting.Domain.Purchases;

/// <summary>The first check an App Store JWS failed; <see cref="None"/> when it passed them all.</summary>
public enum AppleFailure { None, Malformed, UnsupportedAlgorithm, CertificateChain, MissingAppleOid, BadSignature, WrongBundle, WrongEnvironment, NotConsumable, MissingField }

/// <summary>What <see cref="AppStoreVerifier"/> accepts.</summary>
/// <param name="Roots">The only trusted roots (the embedded <see cref="AppStoreVerifier.AppleRootCaG3"/> in production).</param>
/// <param name="BundleId">The app's bundle id every payload must carry.</param>
/// <param name="Environment"><c>Production</c> or <c>Sandbox</c> (<c>Xcode</c>/<c>LocalTesting</c> need <paramref name="IsDevelopment"/>).</param>
/// <param name="IsDevelopment">Whether the host runs in Development, the only place Xcode and local-testing receipts are accepted.</param>
public sealed record AppleVerifierSettings(IReadOnlyList<X509Certificate2> Roots, string BundleId, string Environment, bool IsDevelopment);

/// <summary>A verified StoreKit 2 transaction (JWSTransactionDecodedPayload). Price is in milliunits of <see cref="Currency"/>.</summary>
public sealed record AppleTransaction(string TransactionId, string OriginalTransactionId, string ProductId, string BundleId, int Quantity,
    string Type, Guid? AppAccountToken, DateTimeOffset PurchaseDate, DateTimeOffset SignedDate, string Environment,
    long? Price, string? Currency, DateTimeOffset? RevocationDate);

/// <summary>A verified App Store Server Notification V2; <see cref="Transaction"/> is null when the notification carries none (TEST).</summary>
public sealed record AppleNotification(string NotificationType, string? Subtype, string NotificationUuid, DateTimeOffset SignedDate,
    string BundleId, string Environment, AppleTransaction? Transaction);

/// <summary>The verified value, or the first failed check and a sentence for the logs saying why.</summary>
public sealed record AppleVerification<T>(T? Value, AppleFailure Failure, string Detail)
{
    public bool Ok => Failure == AppleFailure.None;
}

/// <summary>
/// Reads fields of a JSON object, keeping the first failure only, so the order of the calls is
/// the order of the checks. An absent (or null) required field is MissingField, a field of the
/// wrong JSON type Malformed.
/// </summary>
internal struct ApplePayloadReader(JsonElement obj)
{
    private const long MinUnixMs = -62_135_596_800_000, MaxUnixMs = 253_402_300_799_999;

    private JsonElement _obj = obj;
    private string _prefix = "";

    public AppleFailure Failure { get; private set; }
    public string Detail { get; private set; } = "";
    public readonly bool Failed => Failure != AppleFailure.None;

    /// <summary>Reads the fields of a nested object from now on, naming them <c>prefix.field</c>.</summary>
    public void Enter(JsonElement nested, string prefix)
    {
        _obj = nested;
        _prefix = prefix + ".";
    }

    public void Fail(AppleFailure failure, string detail)
    {
        if (Failed) return;
        Failure = failure;
        Detail = detail;
    }

    public JsonElement? Object(string name)
    {
        if (!Find(name, required: true, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Object) return value;
        Fail(AppleFailure.Malformed, $"{_prefix}{name} is not an object");
        return null;
    }

    public string? String(string name, bool required)
    {
        if (!Find(name, required, out var value)) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        Fail(AppleFailure.Malformed, $"{_prefix}{name} is not a string");
        return null;
    }

    public long? Int64(string name, bool required)
    {
        if (!Find(name, required, out var value)) return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)) return number;
        Fail(AppleFailure.Malformed, $"{_prefix}{name} is not an integer");
        return null;
    }

    /// <summary>Milliseconds since the Unix epoch, as Apple writes every date.</summary>
    public DateTimeOffset? Millis(string name, bool required)
    {
        var ms = Int64(name, required);
        if (ms is null) return null;
        if (ms is >= MinUnixMs and <= MaxUnixMs) return DateTimeOffset.FromUnixTimeMilliseconds(ms.Value);
        Fail(AppleFailure.Malformed, $"{_prefix}{name} is out of range");
        return null;
    }

    public Guid? Uuid(string name)
    {
        var text = String(name, required: false);
        if (text is null) return null;
        if (Guid.TryParse(text, out var uuid)) return uuid;
        Fail(AppleFailure.Malformed, $"{_prefix}{name} is not a UUID");
        return null;
    }

    private bool Find(string name, bool required, out JsonElement value)
    {
        if (Failed) { value = default; return false; }
        if (_obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null) return true;
        if (required) Fail(AppleFailure.MissingField, $"{_prefix}{name} is missing");
        return false;
    }
}

internal readonly record struct AppleCheck(AppleFailure Failure, string Detail)
{
    public bool Failed => Failure != AppleFailure.None;
}

/// <summary>A header whose chain verified: valid while signedDate falls in every certificate's validity.</summary>
internal sealed class AppleTrustedHeader(DateTime notBefore, DateTime notAfter, byte[] subjectPublicKeyInfo)
{
    private const int P1363SignatureChars = 86;
    private readonly ConcurrentQueue<ECDsa> _keys = new();

    public bool Covers(DateTimeOffset at) => at.UtcDateTime >= notBefore && at.UtcDateTime <= notAfter;

    public AppleCheck VerifySignature(ReadOnlySpan<char> signingInput, ReadOnlySpan<char> signature)
    {
        Span<byte> p1363 = stackalloc byte[66];
        if (signature.Length != P1363SignatureChars || !Base64Url.TryDecodeFromChars(signature, p1363, out var length) || length != 64)
            return new(AppleFailure.BadSignature, "signature is not a 64-byte ES256 signature");

        var input = ArrayPool<byte>.Shared.Rent(signingInput.Length);
        // ECDsa instances are not documented as safe for concurrent use: each call takes its own.
        if (!_keys.TryDequeue(out var key))
        {
            key = ECDsa.Create();
            key.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
        }
        try
        {
            var written = Encoding.ASCII.GetBytes(signingInput, input);
            return key.VerifyData(input.AsSpan(0, written), p1363[..64], HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                ? default
                : new(AppleFailure.BadSignature, "ES256 signature does not match the leaf key");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
            if (_keys.Count < Environment.ProcessorCount) _keys.Enqueue(key);
            else key.Dispose();
        }
    }
}

/// <summary>A base64url JSON object decoded into a pooled buffer; Dispose returns the buffer.</summary>
internal struct PooledJson : IDisposable
{
    private static readonly JsonDocumentOptions JsonOptions = new() { AllowDuplicateProperties = false };

    private byte[]? _buffer;
    private JsonDocument? _document;

    public readonly JsonElement Root => _document!.RootElement;

    public static AppleCheck Decode(ReadOnlySpan<char> base64Url, string part, out PooledJson json)
    {
        json = new PooledJson { _buffer = ArrayPool<byte>.Shared.Rent(Base64Url.GetMaxDecodedLength(base64Url.Length)) };
        if (!Base64Url.TryDecodeFromChars(base64Url, json._buffer, out var length))
            return new(AppleFailure.Malformed, $"{part} is not base64url");
        try
        {
            json._document = JsonDocument.Parse(json._buffer.AsMemory(0, length), JsonOptions);
        }
        catch (JsonException)
        {
            return new(AppleFailure.Malformed, $"{part} is not JSON");
        }
        return json._document.RootElement.ValueKind == JsonValueKind.Object ? default : new(AppleFailure.Malformed, $"{part} is not a JSON object");
    }

    public void Dispose()
    {
        _document?.Dispose();
        _document = null;
        if (_buffer is not null) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
    }
}
