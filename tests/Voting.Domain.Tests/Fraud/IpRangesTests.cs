using System.Net;
using Voting.Domain.Fraud;

namespace Voting.Domain.Tests.Fraud;

public class IpRangesTests
{
    private static readonly IpRangeTable<string> Countries = IpRangeFiles.Countries("geoip", [
        "# tor geoip style: IPv4 as integers",
        "16777216,16777471,AU",
        "",
        "2130706432,2130706687,KH", // 127.0.0.0 - 127.0.0.255
        "10.0.0.0,10.0.0.255,TH",
        "2001:db8::,2001:db8::ffff,KH",
    ]);

    [Theory]
    [InlineData("1.0.0.0", "AU")]
    [InlineData("1.0.0.255", "AU")]
    [InlineData("1.0.1.0", null)]
    [InlineData("0.255.255.255", null)]
    [InlineData("127.0.0.1", "KH")]
    [InlineData("127.0.0.255", "KH")]
    [InlineData("127.0.1.0", null)]
    [InlineData("10.0.0.7", "TH")]
    [InlineData("::ffff:10.0.0.7", "TH")]
    [InlineData("2001:db8::", "KH")]
    [InlineData("2001:db8::ffff", "KH")]
    [InlineData("2001:db8::1:0", null)]
    [InlineData("::1", null)]
    public void The_first_and_last_address_of_a_range_are_in_it_and_mapped_ipv4_finds_its_range(string address, string? country)
    {
        var found = Countries.TryFind(IPAddress.Parse(address), out var cc);
        Assert.Equal(country, found ? cc : null);
    }

    [Fact]
    public void Proxy_networks_are_cidr_and_overlaps_merge()
    {
        var proxies = IpRangeFiles.Networks("proxies", ["127.0.0.64/26", "127.0.0.96/27", "# vpn", "2001:db8:1::/48", "0.0.0.0/0"]);
        Assert.True(proxies.TryFind(IPAddress.Parse("127.0.0.64"), out _));
        Assert.True(proxies.TryFind(IPAddress.Parse("127.0.0.127"), out _));
        Assert.True(proxies.TryFind(IPAddress.Parse("2001:db8:1:ffff::1"), out _));
        Assert.False(proxies.TryFind(IPAddress.Parse("2001:db8:2::1"), out _));
        var narrow = IpRangeFiles.Networks("proxies", ["127.0.0.64/26"]);
        Assert.False(narrow.TryFind(IPAddress.Parse("127.0.0.63"), out _));
        Assert.False(narrow.TryFind(IPAddress.Parse("127.0.0.128"), out _));
        Assert.True(narrow.TryFind(IPAddress.Parse("::ffff:127.0.0.100"), out _));
    }

    [Theory]
    [InlineData("1.2.3.4,1.2.3.9", 1, "expected start,end,CC")]
    [InlineData("1.2.3.4,banana,KH", 1, "not an address")]
    [InlineData("1.2.3.9,1.2.3.4,KH", 1, "ends before it starts")]
    [InlineData("1.2.3.4,1.2.3.9,KHM", 1, "two-letter")]
    public void An_unreadable_line_is_an_error_naming_the_line(string line, int number, string problem)
    {
        var error = Assert.Throws<IpRangeFileException>(() => IpRangeFiles.Countries("geo.csv", ["# header", line]));
        Assert.Equal(number + 1, error.Line);
        Assert.Contains("geo.csv, line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlapping_country_ranges_and_bad_networks_are_refused()
    {
        var overlap = Assert.Throws<IpRangeFileException>(() => IpRangeFiles.Countries("geo", ["1.0.0.0,1.0.0.255,AU", "1.0.0.128,1.0.1.0,NZ"]));
        Assert.Contains("line 1", overlap.Message, StringComparison.Ordinal);
        Assert.Equal(2, overlap.Line);
        Assert.Equal(3, Assert.Throws<IpRangeFileException>(() => IpRangeFiles.Networks("p", ["10.0.0.0/8", "", "10.0.0.0/33"])).Line);
    }
}
