using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace Voting.Server.Infrastructure;

/// <summary>
/// The one rule for text from outside that may reach a store: no U+0000 (PostgreSQL's text cannot
/// hold it, SQLite would keep it and hand it to every reader) and no half of a surrogate pair (UTF-8,
/// both stores' encoding, has none). Checked before any store sees the text, so both stores refuse
/// alike: a 400 naming the field.
/// </summary>
public static class StorableText
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    public static bool IsStorable(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0') return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(c)) return false;
        }
        return true;
    }

    /// <summary>
    /// A JSON string's text when a store can hold it; null for any other value, and for a string that is
    /// not text (bytes that are not UTF-8, an escaped half of a surrogate pair) or holds a NUL.
    /// </summary>
    public static string? Of(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return null;
        try
        {
            return value.GetString() is { } text && IsStorable(text) ? text : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The JSON name of the first text field of a request body (nested objects and lists included) that no store can hold, or null.</summary>
    public static string? FirstUnstorableField(object body, JsonNamingPolicy? naming, string prefix = "")
    {
        foreach (var property in Properties.GetOrAdd(body.GetType(), Readable))
        {
            var name = prefix + (naming?.ConvertName(property.Name) ?? property.Name);
            switch (property.GetValue(body))
            {
                case string text when !IsStorable(text):
                    return name;
                case IEnumerable<string> texts when texts.Any(t => t is not null && !IsStorable(t)):
                    return name;
                case object nested when IsRequestType(nested.GetType()) && FirstUnstorableField(nested, naming, name + ".") is { } inner:
                    return inner;
            }
        }
        return null;
    }

    private static PropertyInfo[] Readable(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0
            && (p.PropertyType == typeof(string) || typeof(IEnumerable<string>).IsAssignableFrom(p.PropertyType) || IsRequestType(p.PropertyType)))];

    /// <summary>This server's own body records (nested parts of a request), not framework or value types.</summary>
    private static bool IsRequestType(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(IEnumerable).IsAssignableFrom(type) && type.Assembly == typeof(StorableText).Assembly;
}
