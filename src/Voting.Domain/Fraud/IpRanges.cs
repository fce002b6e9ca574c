using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Voting.Domain.Fraud;

/// <summary>A file of ranges that could not be read: the line and what is wrong with it.</summary>
public sealed class IpRangeFileException(string file, int line, string problem)
    : FormatException($"{file}, line {line}: {problem}")
{
    public int Line { get; } = line;
}

/// <summary>
/// Addresses as one 128-bit number: IPv6 as is, IPv4 (and IPv4-mapped IPv6, ::ffff:a.b.c.d) in the
/// ::ffff:0:0/96 block, so both families share one sorted table and a mapped address finds its IPv4 range.
/// </summary>
public static class IpNumber
{
    private static readonly UInt128 V4Prefix = (UInt128)0xFFFF << 32;

    public static UInt128 Of(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(bytes[..4], out _);
            return V4Prefix | BinaryPrimitives.ReadUInt32BigEndian(bytes);
        }
        address.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    public static UInt128 OfIPv4(uint value) => V4Prefix | value;

    /// <summary>An address in a ranges file: dotted IPv4, IPv6, or an IPv4 as one integer (Tor's geoip file).</summary>
    public static bool TryParse(string text, out UInt128 value)
    {
        if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v4))
        {
            value = OfIPv4(v4);
            return true;
        }
        if (IPAddress.TryParse(text, out var address))
        {
            value = Of(address);
            return true;
        }
        value = default;
        return false;
    }
}

/// <summary>
/// Non-overlapping address ranges with a value each, looked up by binary search over sorted arrays:
/// no allocation per lookup, a few dozen comparisons for a table of a million ranges.
/// </summary>
public sealed class IpRangeTable<T>
{
    private readonly UInt128[] _starts;
    private readonly UInt128[] _ends;
    private readonly T[] _values;

    internal IpRangeTable(UInt128[] starts, UInt128[] ends, T[] values)
    {
        _starts = starts;
        _ends = ends;
        _values = values;
    }

    public int Count => _starts.Length;

    /// <summary>The value of the range holding <paramref name="address"/>; false when none does.</summary>
    public bool TryFind(IPAddress address, out T value) => TryFind(IpNumber.Of(address), out value);

    public bool TryFind(UInt128 address, out T value)
    {
        int lo = 0, hi = _starts.Length - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (_starts[mid] <= address) lo = mid + 1;
            else hi = mid - 1;
        }
        // hi: the last range starting at or before the address.
        if (hi >= 0 && address <= _ends[hi])
        {
            value = _values[hi];
            return true;
        }
        value = default!;
        return false;
    }
}

/// <summary>Builds range tables.</summary>
public static class IpRangeTable
{
    public static IpRangeTable<T> Empty<T>() => new([], [], []);

    /// <summary>The table of <paramref name="ranges"/> (any order); overlapping ranges are refused, naming both lines.</summary>
    public static IpRangeTable<T> Build<T>(string file, IEnumerable<(UInt128 Start, UInt128 End, T Value, int Line)> ranges)
    {
        var sorted = ranges.OrderBy(r => r.Start).ToArray();
        for (var i = 1; i < sorted.Length; i++)
        {
            if (sorted[i].Start <= sorted[i - 1].End)
                throw new IpRangeFileException(file, sorted[i].Line, $"overlaps the range on line {sorted[i - 1].Line}");
        }
        return new([.. sorted.Select(r => r.Start)], [.. sorted.Select(r => r.End)], [.. sorted.Select(r => r.Value)]);
    }
}

/// <summary>Reads the ranges files: countries (<c>start,end,CC</c>, as Tor's geoip and geoip6) and proxies (CIDR lines).</summary>
public static class IpRangeFiles
{
    /// <summary>Country ranges from <c>start,end,CC</c> lines; blank lines and <c>#</c> comments are skipped.</summary>
    public static IpRangeTable<string> Countries(string file, IEnumerable<string> lines)
    {
        var ranges = new List<(UInt128, UInt128, string, int)>();
        var n = 0;
        foreach (var raw in lines)
        {
            n++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split(',');
            if (parts.Length != 3) throw new IpRangeFileException(file, n, "expected start,end,CC");
            if (!IpNumber.TryParse(parts[0].Trim(), out var start)) throw new IpRangeFileException(file, n, $"'{parts[0]}' is not an address");
            if (!IpNumber.TryParse(parts[1].Trim(), out var end)) throw new IpRangeFileException(file, n, $"'{parts[1]}' is not an address");
            if (end < start) throw new IpRangeFileException(file, n, "the range ends before it starts");
            var country = parts[2].Trim();
            if (country.Length != 2 || !country.All(char.IsAsciiLetter)) throw new IpRangeFileException(file, n, $"'{country}' is not a two-letter country code");
            ranges.Add((start, end, country.ToUpperInvariant(), n));
        }
        return IpRangeTable.Build(file, ranges);
    }

    /// <summary>Proxy, VPN and hosting networks from CIDR lines (<c>10.0.0.0/8</c>, <c>2001:db8::/32</c>); overlapping networks are merged.</summary>
    public static IpRangeTable<bool> Networks(string file, IEnumerable<string> lines)
    {
        var ranges = new List<(UInt128 Start, UInt128 End, int Line)>();
        var n = 0;
        foreach (var raw in lines)
        {
            n++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (!IPNetwork.TryParse(line, out var network)) throw new IpRangeFileException(file, n, $"'{line}' is not a network in CIDR notation");
            var start = IpNumber.Of(network.BaseAddress);
            var bits = network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 - network.PrefixLength : 128 - network.PrefixLength;
            var end = start | (bits == 128 ? UInt128.MaxValue : (UInt128.One << bits) - 1);
            ranges.Add((start, end, n));
        }
        var merged = new List<(UInt128, UInt128, bool, int)>();
        foreach (var r in ranges.OrderBy(r => r.Start))
        {
            if (merged.Count > 0 && r.Start <= merged[^1].Item2 + 1 && merged[^1].Item2 != UInt128.MaxValue)
            {
                var last = merged[^1];
                merged[^1] = (last.Item1, r.End > last.Item2 ? r.End : last.Item2, true, last.Item4);
            }
            else merged.Add((r.Start, r.End, true, r.Line));
        }
        return IpRangeTable.Build(file, merged);
    }
}
