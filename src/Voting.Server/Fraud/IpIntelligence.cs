using System.Net;
using Microsoft.Extensions.Options;
using Voting.Domain.Fraud;

namespace Voting.Server.Fraud;

/// <summary>
/// The proxy and country ranges, loaded once at start-up into sorted arrays searched by binary
/// search (IPv4 as IPv4-mapped IPv6, so one table holds both). A file that cannot be read, or a
/// line that cannot be parsed, stops the start naming the file and line.
/// </summary>
public sealed class IpIntelligence
{
    public IpIntelligence(IOptions<FraudOptions> options)
    {
        var o = options.Value;
        Proxies = o.ProxyRangesFile is { Length: > 0 } p ? IpRangeFiles.Networks(p, Read(p)) : null;
        Countries = o.GeoRangesFile is { Length: > 0 } g ? IpRangeFiles.Countries(g, Read(g)) : null;
    }

    /// <summary>Null when no proxy ranges file is configured.</summary>
    public IpRangeTable<bool>? Proxies { get; }

    /// <summary>Null when no country ranges file is configured.</summary>
    public IpRangeTable<string>? Countries { get; }

    public bool IsProxy(IPAddress? address) => address is not null && Proxies is { } t && t.TryFind(address, out _);

    /// <summary>The address's country code, or null when no range holds it (or there is no file).</summary>
    public string? CountryOf(IPAddress? address) => address is not null && Countries is { } t && t.TryFind(address, out var cc) ? cc : null;

    private static IEnumerable<string> Read(string file)
    {
        try
        {
            return File.ReadLines(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IpRangeFileException(file, 0, $"cannot be read: {e.Message}");
        }
    }
}
