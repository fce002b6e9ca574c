using System.Text.Json;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Admin;

/// <summary>
/// Reads PATCH contestants/{id}: a field left out stays as it is, a field sent as null is cleared (name
/// cannot be), and a field of the wrong type is a 400 that names it. A typed body cannot tell the two
/// apart, so the JSON is read as a document.
/// </summary>
internal static class ContestantPatchReader
{
    public const int MaxAge = 150;
    private static readonly string[] Fields = ["name", "khmer_name", "hometown", "age", "bio", "photo_url"];

    public static async Task<(ContestantPatch? Patch, IResult? Error)> ReadAsync(HttpRequest request)
    {
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return (null, Api.BadRequest("Request body is not valid JSON"));
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, Api.BadRequest("Request body must be a JSON object"));
            if (!Fields.Any(f => root.TryGetProperty(f, out _)))
                return (null, Api.BadRequest($"Nothing to change: send at least one of {string.Join(", ", Fields)}"));

            var (name, e1) = Text(root, "name", nullable: false);
            if (e1 is not null) return (null, e1);
            if (name.Present && string.IsNullOrWhiteSpace(name.Value)) return (null, Api.BadRequest("Invalid value for field 'name': must not be empty"));
            var (khmer, e2) = Text(root, "khmer_name");
            var (hometown, e3) = Text(root, "hometown");
            var (bio, e4) = Text(root, "bio");
            var (photo, e5) = Text(root, "photo_url");
            if ((e2 ?? e3 ?? e4 ?? e5) is { } textError) return (null, textError);
            var (age, e6) = Age(root);
            if (e6 is not null) return (null, e6);
            return (new ContestantPatch(name.Present ? Patched.Set(name.Value!.Trim()) : default, khmer, hometown, age, bio, photo), null);
        }
    }

    private static (Patched<string?> Value, IResult? Error) Text(JsonElement root, string field, bool nullable = true)
    {
        if (!root.TryGetProperty(field, out var value)) return (default, null);
        if (value.ValueKind == JsonValueKind.Null && nullable) return (Patched.Set<string?>(null), null);
        if (value.ValueKind != JsonValueKind.String) return (default, Api.BadRequest($"Invalid value for field '{field}'"));
        return StorableText.Of(value) is { } text ? (Patched.Set<string?>(text), null) : (default, JsonBody.Unstorable(field));
    }

    private static (Patched<int?> Value, IResult? Error) Age(JsonElement root)
    {
        if (!root.TryGetProperty("age", out var value)) return (default, null);
        if (value.ValueKind == JsonValueKind.Null) return (Patched.Set<int?>(null), null);
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var age)) return (default, Api.BadRequest("Invalid value for field 'age'"));
        return age is < 0 or > MaxAge ? (default, Api.BadRequest($"age must be between 0 and {MaxAge}")) : (Patched.Set<int?>(age), null);
    }
}
