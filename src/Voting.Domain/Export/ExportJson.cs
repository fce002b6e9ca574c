using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Voting.Domain.Export;

/// <summary>How export lines are written and read: snake_case, strict, every field required as declared.</summary>
public static class ExportJson
{
    /// <summary>The format and version a header names; a reader refuses any other.</summary>
    public const string Format = "xfactor-episode-export/1";

    /// <summary>The media type of the export.</summary>
    public const string MediaType = "application/x-ndjson";

    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // Khmer names as written, not as \u escapes.
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        NumberHandling = JsonNumberHandling.Strict,
        // A line with a field missing, null where it may not be, or unknown is not a line of this format.
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Reads one line; throws <see cref="JsonException"/> when it is not a line of this format.</summary>
    public static ExportLine Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize<ExportLine>(line, Options) ?? throw new JsonException("null is not an export line");
        }
        catch (NotSupportedException e)
        {
            // No "kind" first: the serializer cannot tell which line it is.
            throw new JsonException("the line does not start with a known kind", e);
        }
    }
}
