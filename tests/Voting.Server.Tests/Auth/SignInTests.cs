using System.Globalization;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Auth;

/// <summary>Viewer sign-in: a one-time code by SMS exchanged for an access token, and its refusals.</summary>
public abstract class SignInTests(StoreKind kind)
{
    private const string OtpPath = "/api/v1/auth/otp";
    private const string TokenPath = "/api/v1/auth/token";

    private static async Task<string> RequestCodeAsync(ApiDriver api, string phone)
    {
        var otp = await api.PostAsync(OtpPath, new { phone_number = phone });
        Assert.Equal(200, otp.Code);
        Assert.Equal(300, otp.Data.GetProperty("expires_in").GetInt32());
        var code = otp.Data.GetProperty("dev_code").GetString()!;
        Assert.Matches("^[0-9]{6}$", code);
        return code;
    }

    private static Task<ApiAnswer> TokenAsync(ApiDriver api, string phone, string code) =>
        api.PostAsync(TokenPath, new { phone_number = phone, code });

    private static string WrongCode(string code) =>
        ((int.Parse(code, CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    [Fact]
    public async Task ACodeIsExchangedForABearerTokenAndTheSamePhoneKeepsItsUserId()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var phone = ApiDriver.NewPhone();

        var first = await TokenAsync(api, phone, await RequestCodeAsync(api, phone));
        var second = await TokenAsync(api, phone, await RequestCodeAsync(api, phone));

        Assert.Equal(200, first.Code);
        Assert.Equal("Bearer", first.Data.GetProperty("token_type").GetString());
        Assert.Equal(86_400, first.Data.GetProperty("expires_in").GetInt32());
        Assert.Equal(3, first.Data.GetProperty("access_token").GetString()!.Split('.').Length);
        Assert.Equal(200, second.Code);
        Assert.Equal(first.Data.GetProperty("user_id").GetInt64(), second.Data.GetProperty("user_id").GetInt64());
        Assert.Equal(1, await server.Database.CountRowsAsync("voters"));
    }

    [Fact]
    public async Task TheNationalInternationalAndBareFormsOfOnePhoneAreOneVoter()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;

        var national = await api.SignInAsync("012345678");
        var international = await api.SignInAsync("+855 12 345 678");
        var bare = await api.SignInAsync("85512345678");

        Assert.Equal(national.UserId, international.UserId);
        Assert.Equal(national.UserId, bare.UserId);
        Assert.Equal(1, await server.Database.CountRowsAsync("voters"));
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("+1 202 555 0143")]
    [InlineData("not a phone")]
    [InlineData("")]
    [InlineData("001234567")]
    [InlineData("0123456789012")]
    public async Task AnythingButACambodianMobileNumberIsAnInvalidPhoneAndSendsNothing(string phone)
    {
        await using var server = await VotingTestServer.StartAsync(kind);

        ApiAssert.Error(await server.Api.PostAsync(OtpPath, new { phone_number = phone }), 422, "INVALID_PHONE");
        ApiAssert.Error(await TokenAsync(server.Api, phone, "123456"), 422, "INVALID_PHONE");

        Assert.Equal(0, await server.Database.CountRowsAsync("one_time_codes"));
        Assert.Equal(0, await server.Database.CountRowsAsync("outbox"));
        Assert.Equal(0, await server.Database.CountRowsAsync("voters"));
    }

    [Theory]
    [InlineData(OtpPath, "{}", "phone_number")]
    [InlineData(TokenPath, "{\"code\":\"123456\"}", "phone_number")]
    [InlineData(TokenPath, "{\"phone_number\":\"012345678\"}", "code")]
    public async Task AMissingFieldIsABadRequestNamingIt(string path, string body, string field)
    {
        await using var server = await VotingTestServer.StartAsync(kind);

        var answer = await server.Api.SendAsync(HttpMethod.Post, path, body);

        ApiAssert.Error(answer, 400, "INVALID_REQUEST");
        Assert.Contains(field, ApiAssert.Message(answer), StringComparison.Ordinal);
        Assert.Equal(0, await server.Database.CountRowsAsync("one_time_codes"));
    }

    [Fact]
    public async Task AWrongCodeIsRefusedAndCreatesNoVoterButTheRightOneStillWorks()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var phone = ApiDriver.NewPhone();
        var code = await RequestCodeAsync(api, phone);

        ApiAssert.Error(await TokenAsync(api, phone, WrongCode(code)), 401, "INVALID_CODE");
        Assert.Equal(0, await server.Database.CountRowsAsync("voters"));

        Assert.Equal(200, (await TokenAsync(api, phone, code)).Code);
    }

    [Fact]
    public async Task ACodeIsRefusedForAPhoneThatNeverAskedForOne()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var code = await RequestCodeAsync(api, ApiDriver.NewPhone());

        ApiAssert.Error(await TokenAsync(api, ApiDriver.NewPhone(), code), 401, "INVALID_CODE");
        Assert.Equal(0, await server.Database.CountRowsAsync("voters"));
    }

    [Fact]
    public async Task AfterFiveWrongTriesEvenTheRightCodeIsRefused()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var phone = ApiDriver.NewPhone();
        var code = await RequestCodeAsync(api, phone);

        for (var i = 0; i < 5; i++) ApiAssert.Error(await TokenAsync(api, phone, WrongCode(code)), 401, "INVALID_CODE");

        ApiAssert.Error(await TokenAsync(api, phone, code), 401, "INVALID_CODE");
        Assert.Equal(0, await server.Database.CountRowsAsync("voters"));
        Assert.Equal(200, (await TokenAsync(api, phone, await RequestCodeAsync(api, phone))).Code);
    }

    [Fact]
    public async Task ASixthCodeForOnePhoneWithinTheHourIsRateLimitedAndTheFifthStillWorks()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var phone = ApiDriver.NewPhone();
        var codes = new List<string>();
        for (var i = 0; i < 5; i++) codes.Add(await RequestCodeAsync(api, phone));
        var outbox = await server.Database.CountRowsAsync("outbox");

        var sixth = await api.PostAsync(OtpPath, new { phone_number = phone });

        ApiAssert.Error(sixth, 429, "RATE_LIMITED");
        Assert.NotNull(sixth.Headers.RetryAfter?.Delta);
        Assert.Equal(outbox, await server.Database.CountRowsAsync("outbox"));
        Assert.Equal(5, await server.Database.CountRowsAsync("one_time_codes"));
        Assert.Equal(200, (await TokenAsync(api, phone, codes[^1])).Code);
        Assert.Equal(200, (await api.PostAsync(OtpPath, new { phone_number = ApiDriver.NewPhone() })).Code);
    }

    [Fact]
    public async Task AnOlderCodeStopsWorkingOnceANewOneIsIssued()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var phone = ApiDriver.NewPhone();
        var older = await RequestCodeAsync(api, phone);
        var newer = await RequestCodeAsync(api, phone);
        while (newer == older) newer = await RequestCodeAsync(api, phone);

        ApiAssert.Error(await TokenAsync(api, phone, older), 401, "INVALID_CODE");

        Assert.Equal(200, (await TokenAsync(api, phone, newer)).Code);
    }

    [Fact]
    public async Task TheIssuedTokenOpensTheVotersHistory()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var voter = await api.SignInAsync();

        var history = await api.GetAsync("/api/v1/xfactor/voting/history", voter.Token);

        Assert.Equal(200, history.Code);
        Assert.Equal(0, history.Data.GetProperty("votes").GetArrayLength());
        Assert.Equal(0, history.Data.GetProperty("pagination").GetProperty("total_count").GetInt64());
        ApiAssert.Error(await api.GetAsync("/api/v1/xfactor/voting/history"), 401, "UNAUTHORIZED");
    }
}

public sealed class SqliteSignInTests() : SignInTests(StoreKind.Sqlite);

public sealed class PostgresSignInTests() : SignInTests(StoreKind.Postgres);
