using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Voting.Server.LivePage;

/// <summary>One file of the results page: its bytes, content type and a strong ETag.</summary>
public sealed record PageAsset(byte[] Bytes, string ContentType, string ETag);

/// <summary>
/// The results page's files, embedded in the assembly (LivePage/Assets), so the page is served
/// the same from `dotnet run`, a published build or a test host, whatever the content root.
/// </summary>
public static class PageAssets
{
    private static readonly FrozenDictionary<string, PageAsset> All = Load("live/");

    public static PageAsset? Find(string name) => All.GetValueOrDefault(name);

    /// <summary>The embedded resources whose logical name starts with <paramref name="prefix"/>, by the rest of the name.</summary>
    internal static FrozenDictionary<string, PageAsset> Load(string prefix)
    {
        var assembly = typeof(PageAssets).Assembly;
        var files = new Dictionary<string, PageAsset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 12)) + "\"";
            files[resource[prefix.Length..]] = new PageAsset(bytes, ContentTypeOf(resource), etag);
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".png" => "image/png",
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
