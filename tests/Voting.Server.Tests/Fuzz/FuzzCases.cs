using System.Text;
using System.Text.RegularExpressions;

namespace Voting.Server.Tests.Fuzz;

/// <summary>How a request carries its credential: none, a wrong one, or the right one for its route.</summary>
public enum FuzzCredential { None, Wrong, Right }

/// <summary>One malformed request: where, what body (raw bytes, null: none), and with which credential.</summary>
public sealed record FuzzRequest(string Method, string Path, byte[]? Body, string? ContentType, FuzzCredential Credential, string What);

/// <summary>
/// The malformed requests for an operation, drawn from a seeded <see cref="Random"/> so every run sends
/// the same ones: bodies that are not JSON or not objects, deep nesting, invalid UTF-8, each field of a
/// plausible body replaced by a wrong type, a huge or odd string, a NUL or half a surrogate pair; odd
/// path and query parameters; each with no, a wrong and the right credential.
/// </summary>
public static partial class FuzzCases
{
    private static byte[] B(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Join(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    /// <summary>Values that every field gets: the ones no store can hold, bytes that are not text, and null.</summary>
    private static readonly (string What, byte[] Value)[] AlwaysValues =
    [
        ("NUL", B("\"a\\u0000b\"")),
        ("lone high surrogate", B("\"\\ud800\"")),
        ("lone low surrogate", B("\"x\\udfffy\"")),
        ("invalid UTF-8", Join(B("\"a"), [0xff, 0xfe], B("b\""))),
        ("null", B("null")),
    ];

    /// <summary>Values a field may get, a few drawn per field.</summary>
    private static readonly (string What, byte[] Value)[] SomeValues =
    [
        ("zero", B("0")), ("negative", B("-1")), ("fraction", B("1.5")), ("1e400", B("1e400")),
        ("long max", B("9223372036854775807")), ("int overflow", B("2147483648")), ("long overflow", B("9223372036854775808")), ("long min", B("-9223372036854775808")), ("huge integer", B("99999999999999999999999999")),
        ("true", B("true")), ("empty string", B("\"\"")), ("blank", B("\"   \"")), ("quoted number", B("\"1\"")),
        ("empty array", B("[]")), ("object", B("{\"a\":{\"b\":[1]}}")), ("array of nulls", B("[null,null]")),
        ("reversed pair", B("\"\\udc00\\ud800\"")), ("NUL alone", B("\"\\u0000\"")), ("raw NUL", Join(B("\"a"), [0x00], B("b\""))),
        ("overlong UTF-8", Join(B("\""), [0xc0, 0xaf], B("\""))), ("encoded surrogate", Join(B("\""), [0xed, 0xa0, 0x80], B("\""))),
        ("Khmer", B("\"ចាន់ សុភា\"")), ("emoji", B("\"🎤🎉\"")), ("bidi and zero width", B("\"\\u202e\\u200b\\ufeff\"")),
        ("markup", B("\"<script>alert(1)</script>\"")), ("SQL", B("\"' OR 1=1; DROP TABLE votes; --\"")), ("path", B("\"../../etc/passwd\"")),
        ("control characters", B("\"\\r\\n\\t\\u0001\\u001f\"")), ("percent NUL", B("\"%00\"")),
        ("long text", B("\"" + new string('a', 100_000) + "\"")), ("long Khmer", B("\"" + string.Concat(Enumerable.Repeat("ក", 20_000)) + "\"")),
        ("deep array", B(new string('[', 200) + new string(']', 200))),
        ("date far away", B("\"9999-12-31T23:59:59Z\"")), ("date before time", B("\"0001-01-01\"")), ("not a date", B("\"2026-02-30\"")),
    ];

    /// <summary>Bodies sent whole, whatever the operation.</summary>
    private static IEnumerable<(string What, byte[]? Body, string? ContentType)> WholeBodies(FuzzOperation op)
    {
        var baseline = B(op.BaselineBody());
        yield return ("no body", null, null);
        yield return ("empty JSON body", [], "application/json");
        foreach (var text in new[] { "null", "[]", "\"text\"", "42", "true", "{", "{\"a\":", "{}}", "{\"a\":1,}", "{'a':1}", "{\"a\" 1}", "[{}]", "{}" })
            yield return ($"JSON {text}", B(text), "application/json");
        yield return ("nested arrays 10000 deep", B(new string('[', 10_000) + new string(']', 10_000)), "application/json");
        yield return ("nested objects 3000 deep", B(string.Concat(Enumerable.Repeat("{\"a\":", 3_000)) + "1" + new string('}', 3_000)), "application/json");
        yield return ("bytes that are not UTF-8", [0xff, 0xfe, 0xfd, 0x00, 0x80], "application/json");
        yield return ("a byte order mark first", Join([0xef, 0xbb, 0xbf], baseline), "application/json");
        yield return ("a lone surrogate as a key", B("{\"\\ud800\":1}"), "application/json");
        yield return ("invalid UTF-8 in a key", Join(B("{\""), [0xff], B("\":1}")), "application/json");
        yield return ("every field twice", B(op.BaselineBody().TrimEnd('}') + "," + op.BaselineBody().TrimStart('{')), "application/json");
        var rest = op.Fields.Count == 0 ? "}" : "," + op.BaselineBody().TrimStart('{');
        yield return ("1 MB of padding", B("{\"pad\":\"" + new string('p', 1 << 20) + "\"" + rest), "application/json");
        yield return ("the body as text/plain", baseline, "text/plain");
        yield return ("a form", B("a=%00&from=%FF&message=%ED%A0%80&text=1&text=2&content="), "application/x-www-form-urlencoded");
        yield return ("JSON said to be UTF-16", baseline, "application/json; charset=utf-16");
        yield return ("the plausible body", baseline, "application/json");
    }

    private static readonly string[] OddParameters =
        ["0", "-1", "abc", "99999999999999999999", "9223372036854775807", "1.5", "%00", "%ED%A0%80", "%FF%FE", "1%2F2", "%20", new string('9', 400), "..%2F..%2Fetc"];

    private static readonly string[] OddQueryValues = ["", "abc", "-1", "0", "99999999999999999999", "%00", "%FF", "%ED%A0%80", new string('x', 5000), "1&limit=2"];

    /// <summary>The requests for <paramref name="op"/>; <paramref name="fill"/> gives each path parameter a real value.</summary>
    public static IEnumerable<FuzzRequest> For(FuzzOperation op, Func<FuzzOperation, string, string> fill, Random random)
    {
        var path = Parameter().Replace(op.Route, m => fill(op, m.Groups[1].Value));
        var baseline = B(op.BaselineBody());
        foreach (var credential in new[] { FuzzCredential.None, FuzzCredential.Wrong })
        {
            yield return new(op.Method, path, null, null, credential, "no body");
            yield return new(op.Method, path, B("{"), "application/json", credential, "bad JSON");
            yield return new(op.Method, path, baseline, "application/json", credential, "the plausible body");
        }
        var wholeBodies = op.HasBody ? WholeBodies(op) : WholeBodies(op).Where(b => b.What is "no body" or "JSON {" or "1 MB of padding");
        foreach (var (what, body, type) in wholeBodies) yield return new(op.Method, path, body, type, FuzzCredential.Right, what);
        foreach (var field in op.Fields)
        {
            yield return new(op.Method, path, op.BodyWith(field.Name, null), "application/json", FuzzCredential.Right, $"no {field.Name}");
            var values = AlwaysValues.Concat(SomeValues.OrderBy(_ => random.Next()).Take(6));
            foreach (var (what, value) in values)
                yield return new(op.Method, path, op.BodyWith(field.Name, value), "application/json", FuzzCredential.Right, $"{field.Name}: {what}");
        }
        foreach (var name in Parameter().Matches(op.Route).Select(m => m.Groups[1].Value))
        {
            foreach (var odd in OddParameters)
            {
                var oddPath = Parameter().Replace(op.Route, m => m.Groups[1].Value == name ? odd : fill(op, m.Groups[1].Value));
                yield return new(op.Method, oddPath, baseline, "application/json", FuzzCredential.Right, $"path {name}={odd}");
            }
        }
        foreach (var name in op.Query)
        {
            foreach (var odd in OddQueryValues.OrderBy(_ => random.Next()).Take(6))
                yield return new(op.Method, $"{path}?{name}={odd}", op.HasBody ? baseline : null, op.HasBody ? "application/json" : null, FuzzCredential.Right, $"query {name}={odd}");
            yield return new(op.Method, $"{path}?{name}=1&{name}=2", op.HasBody ? baseline : null, op.HasBody ? "application/json" : null, FuzzCredential.Right, $"query {name} twice");
        }
    }

    [GeneratedRegex(@"\{([^}]+)\}")]
    private static partial Regex Parameter();
}
