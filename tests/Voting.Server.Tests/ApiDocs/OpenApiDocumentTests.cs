using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.ApiDocs;

/// <summary>
/// The served /openapi/v1.json documents every operation fully, and what it says about credentials and
/// error codes is what the server does. A new endpoint without an entry in OperationCatalog fails here.
/// </summary>
public sealed partial class OpenApiDocumentTests : IAsyncLifetime
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];
    private VotingTestServer _server = null!;
    private JsonElement _doc;

    public async Task InitializeAsync()
    {
        _server = await VotingTestServer.StartAsync(StoreKind.Sqlite);
        var answer = await _server.Api.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        _doc = answer.Body;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IEnumerable<(string Method, string Path, JsonElement Op)> Operations() =>
        from path in _doc.GetProperty("paths").EnumerateObject()
        from op in path.Value.EnumerateObject()
        where Methods.Contains(op.Name)
        select (op.Name.ToUpperInvariant(), path.Name, op.Value);

    private static bool IsCarrierWebhook(string path) => path.StartsWith("/webhooks/", StringComparison.Ordinal);

    [Fact]
    public void EveryOperationHasAnIdSummaryDescriptionAndADeclaredTag()
    {
        var tags = _doc.GetProperty("tags").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => t.TryGetProperty("description", out var d) ? d.GetString() : null);
        var ids = new HashSet<string>();
        var problems = new List<string>();
        foreach (var (method, path, op) in Operations())
        {
            var name = $"{method} {path}";
            if (!op.TryGetProperty("operationId", out var id) || !ids.Add(id.GetString()!)) problems.Add($"{name}: no operationId, or a repeated one");
            foreach (var field in new[] { "summary", "description" })
                if (!op.TryGetProperty(field, out var text) || string.IsNullOrWhiteSpace(text.GetString())) problems.Add($"{name}: no {field}");
            var opTags = op.TryGetProperty("tags", out var t) ? t.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
            if (opTags.Count != 1 || string.IsNullOrEmpty(tags.GetValueOrDefault(opTags[0]))) problems.Add($"{name}: not one tag declared with a description");
        }
        Assert.True(problems.Count == 0, "Add these operations to OperationCatalog:\n" + string.Join("\n", problems));
        Assert.True(ids.Count >= 29, $"only {ids.Count} operations documented");
    }

    [Fact]
    public void EveryOperationSaysHowItIsAuthenticatedWithDefinedSchemes()
    {
        var schemes = _doc.GetProperty("components").GetProperty("securitySchemes").EnumerateObject().Select(s => s.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "viewerBearer", "operatorKey", "broadcastSignature" }, schemes);
        var bearer = _doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("viewerBearer");
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        Assert.Equal("JWT", bearer.GetProperty("bearerFormat").GetString());
        Assert.Equal("X-Api-Key", _doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("operatorKey").GetProperty("name").GetString());
        foreach (var (method, path, op) in Operations())
        {
            Assert.True(op.TryGetProperty("security", out var security) && security.GetArrayLength() > 0, $"{method} {path}: no security");
            foreach (var requirement in security.EnumerateArray())
                foreach (var scheme in requirement.EnumerateObject())
                    Assert.Contains(scheme.Name, schemes);
        }
        Assert.Equal("operatorKey", SchemesOf("POST", "/api/v1/admin/votes/void").Single());
        Assert.Equal("viewerBearer", SchemesOf("POST", "/api/v1/xfactor/voting/cast_vote").Single());
    }

    [Fact]
    public void EveryOperationAnswersWithASchemaAndEveryFailureWithTheEnvelopeAndItsCodes()
    {
        var problems = new List<string>();
        foreach (var (method, path, op) in Operations())
        {
            var name = $"{method} {path}";
            var responses = op.GetProperty("responses").EnumerateObject().ToList();
            var success = responses.Where(r => r.Name.StartsWith('2')).ToList();
            if (success.Count == 0 || success.Any(r => !HasSchema(r.Value))) problems.Add($"{name}: a success answer without a schema");
            if (path.StartsWith("/api/", StringComparison.Ordinal) && !responses.Any(r => r.Name.StartsWith('4'))) problems.Add($"{name}: no 4xx answer");
            if (IsCarrierWebhook(path)) continue;
            foreach (var failure in responses.Where(r => r.Name[0] is '4' or '5'))
            {
                var codes = ErrorCodes(failure.Value);
                if (codes.Count == 0) problems.Add($"{name} {failure.Name}: not an error envelope with an error_code enum");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void CastVoteDocumentsItsHeadersEveryRefusalAndRetryAfter()
    {
        var op = _doc.GetProperty("paths").GetProperty("/api/v1/xfactor/voting/cast_vote").GetProperty("post");
        var headers = op.GetProperty("parameters").EnumerateArray().Where(p => p.GetProperty("in").GetString() == "header")
            .Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Idempotency-Key", "X-Device-ID", "X-App-Version", "X-Location"], headers);
        var refusals = ErrorCodes(op.GetProperty("responses").GetProperty("422"));
        foreach (var code in Enum.GetValues<Domain.Voting.VoteRefusal>().Select(r => Domain.Voting.VoteRefusals.Code(r))
                     .Except(["CONTESTANT_NOT_FOUND", "EPISODE_NOT_FOUND", "IDEMPOTENCY_KEY_REUSED", "UNAUTHORIZED"]))
            Assert.Contains(code, refusals);
        Assert.Equal(["IDEMPOTENCY_KEY_REUSED"], ErrorCodes(op.GetProperty("responses").GetProperty("409")));
        var tooMany = op.GetProperty("responses").GetProperty("429");
        Assert.True(tooMany.GetProperty("headers").TryGetProperty("Retry-After", out _));
        Assert.True(op.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").TryGetProperty("example", out _));
        var info = _doc.GetProperty("info");
        Assert.False(string.IsNullOrEmpty(info.GetProperty("license").GetProperty("name").GetString()));
        Assert.NotEmpty(_doc.GetProperty("servers").EnumerateArray());
    }

    /// <summary>What the document says about credentials is what the server does: no credential, 401.</summary>
    [Fact]
    public async Task EverySecuredOperationRefusesARequestWithoutCredentials()
    {
        var checkedOps = 0;
        foreach (var (method, path, op) in Operations())
        {
            var requirements = op.GetProperty("security").EnumerateArray().ToList();
            if (requirements.Any(r => !r.EnumerateObject().Any()) && !IsCarrierWebhook(path)) continue;
            var url = PathParameter().Replace(path, "1");
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            using var response = await _server.Client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode} without credentials");
            if (IsCarrierWebhook(path)) continue;
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Contains(body.RootElement.GetProperty("error_code").GetString(), ErrorCodes(op.GetProperty("responses").GetProperty("401")));
            checkedOps++;
        }
        Assert.True(checkedOps >= 20, $"only {checkedOps} secured operations");
    }

    /// <summary>Every error code the server's endpoints write appears in some documented answer.</summary>
    [Fact]
    public void EveryErrorCodeTheEndpointsWriteIsDocumented()
    {
        var documented = _doc.GetProperty("components").GetProperty("schemas").EnumerateObject()
            .Where(s => s.Value.TryGetProperty("properties", out var p) && p.TryGetProperty("error_code", out _))
            .SelectMany(s => s.Value.GetProperty("properties").GetProperty("error_code").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!))
            .ToHashSet();
        var server = Path.Combine(RepoRoot(), "src", "Voting.Server");
        var written = Directory.EnumerateFiles(server, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}ApiDocs{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(File.ReadLines)
            .Where(line => line.Contains("Api.", StringComparison.Ordinal) || line.Contains("FailAsync(", StringComparison.Ordinal))
            .SelectMany(line => ErrorCodeLiteral().Matches(line).Select(m => m.Groups[1].Value))
            .Concat(Enum.GetValues<Domain.Voting.VoteRefusal>().Select(r => Domain.Voting.VoteRefusals.Code(r)))
            .Where(code => code != "INTERNAL_ERROR")
            .ToHashSet();
        Assert.True(written.Count > 20, $"found only {written.Count} error codes in the endpoints");
        var missing = written.Except(documented).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "Error codes the server writes but the OpenAPI document never names: " + string.Join(", ", missing));
    }

    private IEnumerable<string> SchemesOf(string method, string path) =>
        _doc.GetProperty("paths").GetProperty(path).GetProperty(method.ToLowerInvariant()).GetProperty("security")
            .EnumerateArray().SelectMany(r => r.EnumerateObject().Select(s => s.Name));

    private static bool HasSchema(JsonElement response) =>
        response.TryGetProperty("content", out var content) && content.EnumerateObject().Any(m => m.Value.TryGetProperty("schema", out _));

    private List<string> ErrorCodes(JsonElement response)
    {
        if (!response.TryGetProperty("content", out var content) || !content.TryGetProperty("application/json", out var json)) return [];
        var schema = Resolve(json.GetProperty("schema"));
        if (!schema.TryGetProperty("required", out var required) || !required.EnumerateArray().Any(r => r.GetString() == "error_code")) return [];
        return schema.TryGetProperty("properties", out var p) && p.TryGetProperty("error_code", out var code) && code.TryGetProperty("enum", out var values)
            ? values.EnumerateArray().Select(v => v.GetString()!).ToList()
            : [];
    }

    private JsonElement Resolve(JsonElement schema) =>
        schema.TryGetProperty("$ref", out var r)
            ? _doc.GetProperty("components").GetProperty("schemas").GetProperty(r.GetString()!["#/components/schemas/".Length..])
            : schema;

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "XFactorVoting.slnx"))) return dir.FullName;
        throw new InvalidOperationException("the repository root (XFactorVoting.slnx) was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex PathParameter();

    [GeneratedRegex("\"([A-Z][A-Z_]{3,})\"")]
    private static partial Regex ErrorCodeLiteral();
}
