using System.Net;
using System.Text;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Auth;

/// <summary>
/// SMS pumping: sign-in codes are limited per client address and per block of 10,000 numbers, on top
/// of the per-phone limit. The clients here connect from different loopback addresses (127.0.0.x), so
/// the server sees different viewers.
/// </summary>
public sealed class SignInAbuseLimitTests : IAsyncLifetime
{
    private VotingTestServer _server = null!;

    public async Task InitializeAsync() => _server = await VotingTestServer.StartAsync(StoreKind.Sqlite, settings: new Dictionary<string, string?>
    {
        ["Auth:CodesPerIpPerHour"] = "3",
        ["Auth:CodesPerPrefixPerHour"] = "4",
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>An HTTP client whose connections leave from <paramref name="source"/>.</summary>
    private HttpClient From(string source) => new(SourceAddress.Handler(source)) { BaseAddress = _server.Address };

    private static async Task<HttpResponseMessage> RequestCode(HttpClient client, string phone) =>
        await client.PostAsync("/api/v1/auth/otp", new StringContent($$"""{"phone_number": "{{phone}}"}""", Encoding.UTF8, "application/json"));

    [Fact]
    public async Task One_address_gets_at_most_its_codes_an_hour_and_another_address_is_not_held_back()
    {
        using var a = From("127.0.0.2");
        using var b = From("127.0.0.3");
        foreach (var phone in new[] { "096100001", "096110001", "096120001" })
            Assert.Equal(HttpStatusCode.OK, (await RequestCode(a, phone)).StatusCode);

        using var refused = await RequestCode(a, "096130001");
        using var other = await RequestCode(b, "096130001");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("RATE_LIMITED", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(int.Parse(refused.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        // Nothing was issued for the refused request: one code for that number, from b.
        Assert.Equal(1, await _server.Database.CountAsync("SELECT COUNT(*) FROM one_time_codes WHERE phone = $1", "096130001"));
    }

    [Fact]
    public async Task One_block_of_ten_thousand_numbers_gets_at_most_its_codes_an_hour_whatever_the_address()
    {
        for (var i = 0; i < 4; i++)
        {
            using var client = From($"127.0.0.{10 + i}");
            Assert.Equal(HttpStatusCode.OK, (await RequestCode(client, $"09712{i:D4}")).StatusCode);
        }
        using var fifth = From("127.0.0.20");

        using var refused = await RequestCode(fifth, "097129999");
        using var elsewhere = await RequestCode(fifth, "097139999");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
    }
}
