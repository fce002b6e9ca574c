using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace Voting.Server.Sms;

/// <summary>A webhook's raw body (signatures are over the exact bytes) and its top-level fields.</summary>
public sealed class WebhookBody
{
    /// <summary>Carriers post a few hundred bytes; anything near this is not a text delivery.</summary>
    public const int MaxBytes = 64 * 1024;

    private readonly Dictionary<string, string?> _fields;

    private WebhookBody(byte[] raw, Dictionary<string, string?> fields)
    {
        Raw = raw;
        _fields = fields;
    }

    public byte[] Raw { get; }

    /// <summary>
    /// The field's text: a JSON string, or a JSON number as written. Missing: not present. Null
    /// text with present: a value of another type, a form field given twice, or text no store can
    /// hold (<see cref="Infrastructure.StorableText"/>).
    /// </summary>
    public (bool Present, string? Text) Field(string name) =>
        _fields.TryGetValue(name, out var value) ? (true, value) : (false, null);

    /// <summary>Reads the body; null when it is larger than <see cref="MaxBytes"/>.</summary>
    public static async Task<byte[]?> ReadRawAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes) return null;
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBytes + 1);
        try
        {
            var length = 0;
            while (length <= MaxBytes)
            {
                var read = await request.Body.ReadAsync(buffer.AsMemory(length, MaxBytes + 1 - length), ct);
                if (read == 0) return buffer.AsSpan(0, length).ToArray();
                length += read;
            }
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Fields of a JSON object body, or of a form body; null when the body is neither (or not text: invalid UTF-8, a lone surrogate escape).</summary>
    public static WebhookBody? Parse(HttpRequest request, byte[] raw)
    {
        if (request.HasFormContentType) return Form(raw);
        try
        {
            using var doc = JsonDocument.Parse(raw);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                fields[p.Name] = Storable(p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString(),
                    JsonValueKind.Number => p.Value.GetRawText(),
                    _ => null,
                });
            }
            return new WebhookBody(raw, fields);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // A string that is not text: bytes that are not UTF-8, or "\ud800" without its pair.
            return null;
        }
    }

    private static string? Storable(string? text) => text is null || Infrastructure.StorableText.IsStorable(text) ? text : null;

    private static WebhookBody? Form(byte[] raw)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, values) in QueryHelpers.ParseQuery(text)) fields[key] = values.Count == 1 ? Storable(values[0]) : null;
        return new WebhookBody(raw, fields);
    }
}
