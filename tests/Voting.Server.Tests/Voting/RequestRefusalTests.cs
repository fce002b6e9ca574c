using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Voting.Server.Auth;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Voting;

/// <summary>
/// cast_vote requests refused before any rule is applied: bad fields, bad bodies, bad tokens,
/// bad headers and the per-voter rate limit. Each answers as documented and changes nothing.
/// </summary>
public abstract class RequestRefusalTests(StoreKind kind)
{
    private static async Task<(TestEpisode Episode, SignedIn Voter)> VotedOnceAsync(ApiDriver api)
    {
        var episode = await api.OpenEpisodeAsync();
        var voter = await api.SignInAsync();
        await api.CreditAsync(voter.UserId, 10);
        Assert.Equal(200, (await api.VoteAsync(voter.Token, episode.Contestants[1])).Code);
        return (episode, voter);
    }

    [Theory]
    [InlineData("cash")]
    [InlineData("FREE")]
    public async Task AnUnknownVoteTypeIsRefusedAndChangesNothing(string type)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var (episode, voter) = await VotedOnceAsync(server.Api);
        var before = await server.Api.SnapshotAsync(episode.EpisodeId, voter.Token);

        ApiAssert.Error(await server.Api.VoteAsync(voter.Token, episode.Contestants[0], type), 422, "INVALID_VOTE_TYPE");

        Assert.Equal(before, await server.Api.SnapshotAsync(episode.EpisodeId, voter.Token));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    public async Task AVoteCountOutsideOneToAThousandIsRefusedAndChangesNothing(int count)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var (episode, voter) = await VotedOnceAsync(server.Api);
        var before = await server.Api.SnapshotAsync(episode.EpisodeId, voter.Token);

        ApiAssert.Error(await server.Api.VoteAsync(voter.Token, episode.Contestants[0], "paid", count), 422, "INVALID_VOTE_COUNT");

        Assert.Equal(before, await server.Api.SnapshotAsync(episode.EpisodeId, voter.Token));
    }

    [Theory]
    [InlineData("\"abc\"")]
    [InlineData("1.5")]
    [InlineData("\"5\"")]
    public async Task AVoteCountThatIsNotAnIntegerIsABadRequestNamingVoteCount(string count)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var (episode, voter) = await VotedOnceAsync(server.Api);
        var before = await server.Api.SnapshotAsync(episode.EpisodeId, voter.Token);

        var answer = await server.Api.CastRawAsync(voter.Token,
            $$"""{"contestant_id":{{episode.Contestants[0]}},"vote_type":"paid","vote_count":{{count}}}""");

        ApiAssert.Error(answer, 400, "INVALID_REQUEST");
        Assert.Contains("vote_count", ApiAssert.Message(answer), StringComparison.Ordinal);
        Assert.Equal(before, await server.Api.SnapshotAsync(episode.EpisodeId, voter.Token));
    }

    [Fact]
    public async Task AVoteWithoutAContestantIdIsABadRequestNamingContestantId()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var (episode, voter) = await VotedOnceAsync(server.Api);
        var before = await server.Api.SnapshotAsync(episode.EpisodeId, voter.Token);

        var answer = await server.Api.CastRawAsync(voter.Token, """{"vote_type":"paid","vote_count":1}""");

        ApiAssert.Error(answer, 400, "INVALID_REQUEST");
        Assert.Contains("contestant_id", ApiAssert.Message(answer), StringComparison.Ordinal);
        Assert.Equal(before, await server.Api.SnapshotAsync(episode.EpisodeId, voter.Token));
    }

    [Theory]
    [InlineData("{\"contestant_id\":")]
    [InlineData("")]
    public async Task AnUnparseableBodyIsABadRequestAndChangesNothing(string body)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var (episode, voter) = await VotedOnceAsync(server.Api);
        var before = await server.Api.SnapshotAsync(episode.EpisodeId, voter.Token);

        ApiAssert.Error(await server.Api.CastRawAsync(voter.Token, body), 400, "INVALID_REQUEST");

        Assert.Equal(before, await server.Api.SnapshotAsync(episode.EpisodeId, voter.Token));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("forged")]
    [InlineData("expired")]
    [InlineData("garbage")]
    public async Task AVoteWithoutAValidTokenIsUnauthorizedWithTheEnvelopeAndChangesNothing(string token)
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var (episode, voter) = await VotedOnceAsync(server.Api);
        var before = await server.Api.SnapshotAsync(episode.EpisodeId, voter.Token);
        var rows = await server.Database.VoteIdsAsync();
        var now = DateTimeOffset.UtcNow;
        var bearer = token switch
        {
            "forged" => Jwt("another-signing-key-0123456789abcdef01234", voter.UserId, now.AddHours(1)),
            "expired" => Jwt(VotingTestServer.SigningKey, voter.UserId, now.AddHours(-1)),
            "garbage" => "not-a-token",
            _ => null,
        };

        var answer = await server.Api.VoteAsync(bearer, episode.Contestants[0], "paid");

        ApiAssert.Error(answer, 401, "UNAUTHORIZED");
        Assert.Equal(before, await server.Api.SnapshotAsync(episode.EpisodeId, voter.Token));
        Assert.Equal(rows, await server.Database.VoteIdsAsync());
    }

    [Fact]
    public async Task AHandMadeTokenSignedWithTheServersKeyIsAccepted()
    {
        // The control for the forged and expired tokens above: they fail for their key and
        // their expiry, not for their shape.
        await using var server = await VotingTestServer.StartAsync(kind);
        var (episode, voter) = await VotedOnceAsync(server.Api);

        var answer = await server.Api.VoteAsync(Jwt(VotingTestServer.SigningKey, voter.UserId, DateTimeOffset.UtcNow.AddHours(1)),
            episode.Contestants[0], "paid");

        Assert.Equal(200, answer.Code);
    }

    [Fact]
    public async Task AnIdempotencyKeyLongerThanSixtyFourCharactersIsABadRequestAndChangesNothing()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var (episode, voter) = await VotedOnceAsync(server.Api);
        var before = await server.Api.SnapshotAsync(episode.EpisodeId, voter.Token);

        var answer = await server.Api.VoteAsync(voter.Token, episode.Contestants[0], "paid", key: new string('k', 65));

        ApiAssert.Error(answer, 400, "INVALID_REQUEST");
        Assert.Equal(before, await server.Api.SnapshotAsync(episode.EpisodeId, voter.Token));
        Assert.Equal(200, (await server.Api.VoteAsync(voter.Token, episode.Contestants[0], "paid", key: new string('k', 64))).Code);
    }

    [Fact]
    public async Task PastTheRateLimitEveryVoteRequestIsRateLimitedWhateverItsBody()
    {
        await using var server = await VotingTestServer.StartAsync(kind, settings: new Dictionary<string, string?>
        {
            ["Voting:VoteRequestsPerMinute"] = "10",
        });
        var api = server.Api;
        var episode = await api.OpenEpisodeAsync();
        var voter = await api.SignInAsync();
        var other = await api.SignInAsync();
        await api.CreditAsync(voter.UserId, 10);
        for (var i = 0; i < 5; i++) Assert.Equal(200, (await api.VoteAsync(voter.Token, episode.Contestants[0], "paid")).Code);
        for (var i = 0; i < 5; i++) Assert.Equal(400, (await api.CastRawAsync(voter.Token, "{}")).Code);
        var before = await api.SnapshotAsync(episode.EpisodeId, voter.Token);

        var invalid = await api.CastRawAsync(voter.Token, "{\"contestant_id\":");
        var valid = await api.VoteAsync(voter.Token, episode.Contestants[0], "paid");
        var badKey = await api.VoteAsync(voter.Token, episode.Contestants[0], "paid", key: new string('k', 65));

        Assert.All(new[] { invalid, valid, badKey }, a =>
        {
            ApiAssert.Error(a, 429, "RATE_LIMITED");
            Assert.NotNull(a.Headers.RetryAfter?.Delta);
            Assert.InRange(a.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        });
        Assert.Equal(before, await api.SnapshotAsync(episode.EpisodeId, voter.Token));
        Assert.Equal(5, before.Balance);
        Assert.Equal(200, (await api.VoteAsync(other.Token, episode.Contestants[0])).Code);
    }

    /// <summary>An HS256 JWT of the server's shape (issuer, audience, sub) signed with <paramref name="key"/>.</summary>
    private static string Jwt(string key, long user, DateTimeOffset expires)
    {
        var issued = expires.AddHours(-2).ToUnixTimeSeconds();
        var header = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new
        {
            iss = TokenService.Issuer,
            aud = TokenService.Audience,
            sub = user.ToString(CultureInfo.InvariantCulture),
            iat = issued,
            nbf = issued,
            exp = expires.ToUnixTimeSeconds(),
        }));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Base64Url.EncodeToString(signature)}";
    }
}

public sealed class SqliteRequestRefusalTests() : RequestRefusalTests(StoreKind.Sqlite);

public sealed class PostgresRequestRefusalTests() : RequestRefusalTests(StoreKind.Postgres);
