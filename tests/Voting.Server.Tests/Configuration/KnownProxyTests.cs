using System.Net;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Configuration;

/// <summary>X-Forwarded-For is believed only from a configured proxy: then a vote records the viewer's address, else the connection's.</summary>
public sealed class KnownProxyTests
{
    [Theory]
    [InlineData(true, "203.0.113.7")]
    [InlineData(false, "127.0.0.1")]
    public async Task A_vote_records_the_forwarded_address_only_behind_a_known_proxy(bool configured, string recorded)
    {
        var settings = configured ? new Dictionary<string, string?> { ["Proxy:KnownProxies:0"] = "127.0.0.1" } : null;
        await using var server = await VotingTestServer.StartAsync(StoreKind.Sqlite, settings: settings);
        var e = await server.Api.OpenEpisodeAsync();
        var voter = await server.Api.SignInAsync();

        var vote = await server.Api.SendAsync(HttpMethod.Post, ApiDriver.CastVotePath,
            $$"""{"contestant_id": {{e.Contestants[0]}}, "vote_type": "free", "vote_count": 1}""", voter.Token,
            headers: new Dictionary<string, string> { ["X-Forwarded-For"] = "203.0.113.7" });

        Assert.Equal(HttpStatusCode.OK, vote.Status);
        var ip = (await server.Database.QueryAsync("SELECT ip FROM votes"))[0][0] as string;
        Assert.Equal(recorded, ip?.Replace("::ffff:", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_proxy_that_is_not_an_address_stops_the_start()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() =>
            VotingTestServer.StartAsync(StoreKind.Sqlite, settings: new Dictionary<string, string?> { ["Proxy:KnownProxies:0"] = "nginx.local" }));
        Assert.Contains("Proxy:KnownProxies:0", error.ToString(), StringComparison.Ordinal);
    }
}
