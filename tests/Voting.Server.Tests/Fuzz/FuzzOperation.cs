using System.Text.Json;

namespace Voting.Server.Tests.Fuzz;

/// <summary>A body field and a plausible value for it (JSON text), which the fuzzer replaces one field at a time.</summary>
public sealed record FuzzField(string Name, string Baseline);

/// <summary>One operation to fuzz: method, route template (with <c>{parameters}</c>), the body's fields and the query's parameters.</summary>
public sealed record FuzzOperation(string Method, string Route, IReadOnlyList<FuzzField> Fields, IReadOnlyList<string> Query, bool HasBody)
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    public string Name => $"{Method} {Route}";

    /// <summary>The body every field at its plausible value.</summary>
    public string BaselineBody() => "{" + string.Join(",", Fields.Select(f => $"{JsonSerializer.Serialize(f.Name)}:{f.Baseline}")) + "}";

    /// <summary>The baseline body with one field's value replaced by raw bytes (which may be anything, invalid UTF-8 included), or left out.</summary>
    public byte[] BodyWith(string field, byte[]? value)
    {
        using var s = new MemoryStream();
        void Write(string text) => s.Write(System.Text.Encoding.UTF8.GetBytes(text));
        Write("{");
        var first = true;
        foreach (var f in Fields)
        {
            if (f.Name == field && value is null) continue;
            if (!first) Write(",");
            first = false;
            Write($"{JsonSerializer.Serialize(f.Name)}:");
            if (f.Name == field) s.Write(value);
            else Write(f.Baseline);
        }
        Write("}");
        return s.ToArray();
    }

    /// <summary>Every operation of a served OpenAPI document, in a fixed order, with bodies read from the request schemas.</summary>
    public static List<FuzzOperation> FromOpenApi(JsonElement doc)
    {
        var schemas = doc.TryGetProperty("components", out var c) && c.TryGetProperty("schemas", out var s) ? s : default;
        var ops = new List<FuzzOperation>();
        foreach (var path in doc.GetProperty("paths").EnumerateObject())
        {
            foreach (var op in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                var query = new List<string>();
                foreach (var holder in new[] { path.Value, op.Value })
                {
                    if (!holder.TryGetProperty("parameters", out var ps)) continue;
                    query.AddRange(ps.EnumerateArray().Where(p => p.TryGetProperty("in", out var i) && i.GetString() == "query")
                        .Select(p => p.GetProperty("name").GetString()!));
                }
                var fields = new List<FuzzField>();
                var hasBody = op.Value.TryGetProperty("requestBody", out var body);
                if (hasBody && body.TryGetProperty("content", out var content))
                {
                    foreach (var media in content.EnumerateObject())
                    {
                        var schema = Resolve(media.Value.TryGetProperty("schema", out var sc) ? sc : default, schemas);
                        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var props))
                            fields.AddRange(props.EnumerateObject().Select(p => new FuzzField(p.Name, Baseline(p.Name, Resolve(p.Value, schemas)))));
                        break;
                    }
                }
                ops.Add(new FuzzOperation(op.Name.ToUpperInvariant(), path.Name, fields, query.Distinct().ToList(), hasBody));
            }
        }
        return [.. ops.OrderBy(o => o.Route, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal)];
    }

    private static JsonElement Resolve(JsonElement schema, JsonElement schemas)
    {
        for (var i = 0; i < 5 && schema.ValueKind == JsonValueKind.Object; i++)
        {
            if (schema.TryGetProperty("$ref", out var r) && r.GetString() is { } reference && schemas.ValueKind == JsonValueKind.Object
                && schemas.TryGetProperty(reference[(reference.LastIndexOf('/') + 1)..], out var target))
            {
                schema = target;
                continue;
            }
            // nullable types come as oneOf/anyOf [null, T]: take T.
            foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
            {
                if (schema.TryGetProperty(combinator, out var parts)
                    && parts.EnumerateArray().FirstOrDefault(p => !(p.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null")) is { ValueKind: JsonValueKind.Object } part)
                    return Resolve(part, schemas);
            }
            break;
        }
        return schema;
    }

    /// <summary>A plausible value: the first of an enum, a small positive number, a short text; well-known fields get real-looking values.</summary>
    private static string Baseline(string name, JsonElement schema)
    {
        if (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("enum", out var e) && e.EnumerateArray().FirstOrDefault(v => v.ValueKind != JsonValueKind.Null) is { ValueKind: not JsonValueKind.Undefined } first)
            return first.GetRawText();
        var types = schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("type", out var t)
            ? t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString()!).ToArray() : [t.GetString()!]
            : [];
        if (types.Contains("integer")) return "1";
        if (types.Contains("number")) return "1.5";
        if (types.Contains("boolean")) return "true";
        if (types.Contains("array")) return "[1]";
        if (types.Contains("object")) return "{\"episode_id\":1}";
        return name switch
        {
            "vote_type" => "\"free\"",
            "platform" => "\"test\"",
            "event" => "\"SHOW_START\"",
            "status" => "\"active\"",
            "gender" => "\"female\"",
            "province" => "\"Phnom Penh\"",
            "currency" => "\"USD\"",
            "phone_number" => "\"012345678\"",
            "date_of_birth" or "air_date" => "\"2000-01-01\"",
            "until" or "timestamp" => "\"2026-01-01T00:00:00Z\"",
            _ => "\"x\"",
        };
    }
}
