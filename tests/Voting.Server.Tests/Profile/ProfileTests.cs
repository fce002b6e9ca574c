using System.Net;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Profile;

/// <summary>GET/PATCH /api/v1/me over real HTTP: the account token the stores bind purchases to, the fields a voter sets, and refusals that change nothing.</summary>
public abstract class ProfileTests(StoreKind kind) : IAsyncLifetime
{
    private VotingTestServer _server = null!;

    private ApiDriver Api => _server.Api;

    public async Task InitializeAsync() => _server = await VotingTestServer.StartAsync(kind);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Task<ApiAnswer> Patch(SignedIn voter, string json) => Api.SendAsync(HttpMethod.Patch, "/api/v1/me", json, voter.Token);

    [Fact]
    public async Task A_voter_reads_a_fixed_account_token_and_sets_the_profile()
    {
        var e = await Api.OpenEpisodeAsync();
        var voter = await Api.SignInAsync();
        var other = await Api.SignInAsync();
        await Api.CreditAsync(voter.UserId, 10);
        await Api.VoteOkAsync(voter.Token, e.Contestants[0], "free", 1);
        await Api.VoteOkAsync(voter.Token, e.Contestants[0], "paid", 10);

        var me = await Api.GetAsync("/api/v1/me", voter.Token);
        var token = me.Data.GetProperty("account_token").GetString()!;
        var updated = await Patch(voter, """{"display_name": " Dara ", "province": "siem reap", "gender": "female", "date_of_birth": "2001-04-13"}""");

        Assert.True(Guid.TryParse(token, out _));
        Assert.Equal(token, (await Api.GetAsync("/api/v1/me", voter.Token)).Data.GetProperty("account_token").GetString());
        Assert.NotEqual(token, (await Api.GetAsync("/api/v1/me", other.Token)).Data.GetProperty("account_token").GetString());
        Assert.Equal(voter.UserId, me.Data.GetProperty("user_id").GetInt64());
        Assert.Equal(voter.Phone, me.Data.GetProperty("phone_number").GetString());
        // 2 for the free vote, 10 × 2 × 1.5 for the paid ones.
        Assert.Equal(32, me.Data.GetProperty("loyalty_points").GetInt64());
        Assert.Equal("bronze", me.Data.GetProperty("loyalty_tier").GetString());
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("Dara", updated.Data.GetProperty("display_name").GetString());
        Assert.Equal("Siem Reap", updated.Data.GetProperty("province").GetString());
        Assert.Equal("female", updated.Data.GetProperty("gender").GetString());
        Assert.Equal("2001-04-13", updated.Data.GetProperty("date_of_birth").GetString());

        var cleared = await Patch(voter, """{"province": null}""");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.Data.GetProperty("province").ValueKind);
        Assert.Equal("Dara", cleared.Data.GetProperty("display_name").GetString());
    }

    [Fact]
    public async Task Refused_changes_answer_their_code_and_change_nothing()
    {
        var voter = await Api.SignInAsync();
        Assert.Equal(HttpStatusCode.OK, (await Patch(voter, """{"display_name": "Sokha", "province": "Kampot"}""")).Status);
        var future = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var cases = new (string Json, HttpStatusCode Status, string Code)[]
        {
            ("""{"province": "Bangkok", "display_name": "X"}""", HttpStatusCode.UnprocessableEntity, "INVALID_PROVINCE"),
            ($$"""{"date_of_birth": "{{future}}"}""", HttpStatusCode.UnprocessableEntity, "INVALID_DATE_OF_BIRTH"),
            ("""{"date_of_birth": "1890-01-01"}""", HttpStatusCode.UnprocessableEntity, "INVALID_DATE_OF_BIRTH"),
            ("""{"date_of_birth": "13/04/2001"}""", HttpStatusCode.UnprocessableEntity, "INVALID_DATE_OF_BIRTH"),
            ("""{"gender": "robot"}""", HttpStatusCode.BadRequest, "INVALID_REQUEST"),
            ("""{"display_name": 5}""", HttpStatusCode.BadRequest, "INVALID_REQUEST"),
            ("""{"display_name": "   "}""", HttpStatusCode.BadRequest, "INVALID_REQUEST"),
            ("""[1]""", HttpStatusCode.BadRequest, "INVALID_REQUEST"),
            ("""{nope""", HttpStatusCode.BadRequest, "INVALID_REQUEST"),
        };
        foreach (var (json, status, code) in cases)
        {
            var refused = await Patch(voter, json);
            Assert.True(refused.Status == status && refused.ErrorCode == code, $"{json}: {refused.Code} {refused.Body}");
        }
        var me = await Api.GetAsync("/api/v1/me", voter.Token);
        Assert.Equal("Sokha", me.Data.GetProperty("display_name").GetString());
        Assert.Equal("Kampot", me.Data.GetProperty("province").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Api.GetAsync("/api/v1/me")).Status);
    }
}

public sealed class SqliteProfileTests() : ProfileTests(StoreKind.Sqlite);

public sealed class PostgresProfileTests() : ProfileTests(StoreKind.Postgres);
