using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Push;

/// <summary>POST and DELETE /api/v1/me/push_tokens: a viewer's devices.</summary>
public abstract class PushTokenApiTests(StoreKind kind) : IAsyncLifetime
{
    private const string Path = PushTestHost.TokensPath;
    private VotingTestServer _server = null!;

    private ApiDriver Api => _server.Api;

    public async Task InitializeAsync() => _server = await VotingTestServer.StartAsync(kind);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task ANewTokenIsCreatedAndRegisteringItAgainIsOk()
    {
        var viewer = await Api.SignInAsync();

        var created = await Api.PostAsync(Path, new { platform = "fcm", token = "fcm-token:APA91b-1" }, viewer.Token);
        var again = await Api.PostAsync(Path, new { platform = "fcm", token = "fcm-token:APA91b-1" }, viewer.Token);

        Assert.Equal((201, "fcm", "fcm-token:APA91b-1"), (created.Code, created.Data.GetProperty("platform").GetString(), created.Data.GetProperty("token").GetString()));
        Assert.True(created.Body.GetProperty("success").GetBoolean());
        Assert.Equal(200, again.Code);
        var row = Assert.Single(await _server.Database.QueryAsync("SELECT voter_id, platform FROM push_tokens WHERE token = $1", "fcm-token:APA91b-1"));
        Assert.Equal((viewer.UserId, "fcm"), (Convert.ToInt64(row[0]), (string)row[1]!));
    }

    [Fact]
    public async Task ATokenOfAnotherVoterMovesToTheVoterNowSignedInOnTheDevice()
    {
        var (before, after) = (await Api.SignInAsync(), await Api.SignInAsync());
        Assert.Equal(201, (await Api.PostAsync(Path, new { platform = "apns", token = "a1b2c3" }, before.Token)).Code);

        var moved = await Api.PostAsync(Path, new { platform = "apns", token = "a1b2c3" }, after.Token);
        var formerOwnerDeletes = await Api.SendAsync(HttpMethod.Delete, $"{Path}/a1b2c3", token: before.Token);

        Assert.Equal(201, moved.Code);
        ApiAssert.Error(formerOwnerDeletes, 404, "PUSH_TOKEN_NOT_FOUND");
        Assert.Equal(after.UserId, await _server.Database.CountAsync("SELECT voter_id FROM push_tokens WHERE token = $1", "a1b2c3"));
    }

    [Theory]
    [InlineData("{}", "platform")]
    [InlineData("""{"token":"abc"}""", "platform")]
    [InlineData("""{"platform":"fcm"}""", "token")]
    [InlineData("""{"platform":"gcm","token":"abc"}""", "platform")]
    [InlineData("""{"platform":"FCM","token":"abc"}""", "platform")]
    [InlineData("""{"platform":5,"token":"abc"}""", "platform")]
    [InlineData("""{"platform":"fcm","token":""}""", "token")]
    [InlineData("""{"platform":"apns","token":7}""", "token")]
    [InlineData("""{"platform":"apns","token":"two words"}""", "token")]
    [InlineData("""{"platform":"apns","token":"TOO_LONG"}""", "token")]
    public async Task ABadBodyIsRefusedNamingTheFieldAndNothingIsWritten(string json, string field)
    {
        var viewer = await Api.SignInAsync();

        var answer = await Api.SendAsync(HttpMethod.Post, Path, json.Replace("TOO_LONG", new string('f', 4097), StringComparison.Ordinal), viewer.Token);

        ApiAssert.Error(answer, 400, "INVALID_REQUEST");
        Assert.Contains($"'{field}'", ApiAssert.Message(answer), StringComparison.Ordinal);
        Assert.Equal(0, await _server.Database.CountRowsAsync("push_tokens"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("null")]
    public async Task ABodyThatIsNoObjectIsRefused(string json)
    {
        var viewer = await Api.SignInAsync();

        ApiAssert.Error(await Api.SendAsync(HttpMethod.Post, Path, json, viewer.Token), 400, "INVALID_REQUEST");
        Assert.Equal(0, await _server.Database.CountRowsAsync("push_tokens"));
    }

    [Fact]
    public async Task The4096thCharacterIsStillATokenAndItCanBeDeleted()
    {
        var viewer = await Api.SignInAsync();
        var longest = new string('f', 4096);

        Assert.Equal(201, (await Api.PostAsync(Path, new { platform = "fcm", token = longest }, viewer.Token)).Code);
        Assert.Equal(200, (await Api.SendAsync(HttpMethod.Delete, $"{Path}/{longest}", token: viewer.Token)).Code);
    }

    [Fact]
    public async Task DeletingATokenIsOkOnceAndThenNotFound()
    {
        var (owner, other) = (await Api.SignInAsync(), await Api.SignInAsync());
        const string token = "dGVzdA:APA91bH-x_y";
        Assert.Equal(201, (await Api.PostAsync(Path, new { platform = "fcm", token }, owner.Token)).Code);
        var path = $"{Path}/{Uri.EscapeDataString(token)}";

        var notTheirs = await Api.SendAsync(HttpMethod.Delete, path, token: other.Token);
        var deleted = await Api.SendAsync(HttpMethod.Delete, path, token: owner.Token);
        var again = await Api.SendAsync(HttpMethod.Delete, path, token: owner.Token);
        var unknown = await Api.SendAsync(HttpMethod.Delete, $"{Path}/never-registered", token: owner.Token);

        ApiAssert.Error(notTheirs, 404, "PUSH_TOKEN_NOT_FOUND");
        Assert.Equal((200, token), (deleted.Code, deleted.Data.GetProperty("token").GetString()));
        ApiAssert.Error(again, 404, "PUSH_TOKEN_NOT_FOUND");
        ApiAssert.Error(unknown, 404, "PUSH_TOKEN_NOT_FOUND");
        Assert.Equal(0, await _server.Database.CountRowsAsync("push_tokens"));
    }

    [Fact]
    public async Task WithoutASignInNothingIsRegisteredOrDeleted()
    {
        ApiAssert.Error(await Api.PostAsync(Path, new { platform = "fcm", token = "abc" }), 401, "UNAUTHORIZED");
        ApiAssert.Error(await Api.SendAsync(HttpMethod.Delete, $"{Path}/abc"), 401, "UNAUTHORIZED");
        Assert.Equal(0, await _server.Database.CountRowsAsync("push_tokens"));
    }

    [Fact]
    public async Task TheEndpointsAreInTheOpenApiDocument()
    {
        var (status, text) = await Api.GetTextAsync("/openapi/v1.json");

        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Contains("\"/api/v1/me/push_tokens\"", text, StringComparison.Ordinal);
        Assert.Contains("\"/api/v1/me/push_tokens/{token}\"", text, StringComparison.Ordinal);
    }
}

public sealed class SqlitePushTokenApiTests() : PushTokenApiTests(StoreKind.Sqlite);

public sealed class PostgresPushTokenApiTests() : PushTokenApiTests(StoreKind.Postgres);
