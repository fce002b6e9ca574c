using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Voting.Server.Live;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.ApiDocs;

/// <summary>
/// /asyncapi/v1.json names every push message type, and every message a real show sends over the
/// WebSocket and SSE matches its schema field for field: a message that changes shape fails here.
/// </summary>
public sealed class AsyncApiDocumentTests
{
    private static readonly string[] WireTypes = typeof(PushTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToArray();

    [Fact]
    public async Task TheDocumentDescribesBothChannelsAndEveryMessageType()
    {
        await using var server = await VotingTestServer.StartAsync(StoreKind.Sqlite);
        var doc = await DocumentAsync(server);

        Assert.Equal("3.0.0", doc["asyncapi"]!.GetValue<string>());
        var addresses = doc["channels"]!.AsObject().Select(c => c.Value!["address"]!.GetValue<string>()).ToList();
        Assert.Equal(["/ws/voting", "/api/v1/xfactor/voting/stream/{episodeId}"], addresses);
        Assert.Equal(10, WireTypes.Length);
        foreach (var type in WireTypes)
        {
            var message = doc["components"]!["messages"]![type];
            Assert.True(message is not null, $"push message {type} is not in the AsyncAPI document");
            var example = message["examples"]![0]!["payload"]!;
            Assert.Empty(Validate(JsonSerializer.SerializeToElement(example), doc["components"]!["schemas"]![type]!, type));
        }
    }

    [Fact]
    public async Task EveryMessageOfARealShowMatchesItsSchemaOnBothChannels()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var clock = new ManualClock(start) { DrivesTimers = true };
        await using var server = await VotingTestServer.StartAsync(StoreKind.Sqlite, time: clock);
        var doc = await DocumentAsync(server);
        var api = server.Api;
        var e = await api.CreateEpisodeAsync(contestants: 2);
        var star = e.Contestants[0];
        var voter = await api.SignInAsync();
        await using var socket = await LiveWatcher.WebSocketAsync(server.Address, e.EpisodeId, contestant: star);
        await using var sse = await LiveWatcher.SseAsync(server.Address, e.EpisodeId, contestant: star);

        await api.OpenAsync(e.EpisodeId, durationSeconds: 65);
        await socket.NextAsync("VOTING_OPEN");
        await api.VoteOkAsync(voter.Token, star, count: 2);
        await socket.NextAsync("vote_update");
        await socket.NextAsync("detailed_update");
        for (var second = 0; second < 65; second++) clock.Advance(TimeSpan.FromSeconds(1));
        await socket.NextAsync("RESULTS_READY");
        await sse.NextAsync("RESULTS_READY");

        foreach (var watcher in new[] { socket, sse })
        {
            var seen = watcher.Messages.Select(m => m.Type).ToHashSet();
            Assert.Superset(WireTypes.ToHashSet(), seen);
            var problems = watcher.Messages
                .SelectMany(m => Validate(JsonDocument.Parse(m.Raw).RootElement, doc["components"]!["schemas"]![m.Type]
                    ?? throw new Xunit.Sdk.XunitException($"{m.Type} has no schema"), m.Type))
                .Distinct().ToList();
            Assert.True(problems.Count == 0, string.Join("\n", problems));
        }
    }

    [Fact]
    public void TheValidatorRefusesAnUndocumentedFieldAWrongTypeAndAMissingField()
    {
        var schema = JsonNode.Parse("""
            { "type": "object", "required": ["a"], "properties": { "a": { "type": "integer" }, "b": { "type": ["string", "null"] } } }
            """)!;
        Assert.Empty(Validate(Parse("""{ "a": 1, "b": null }"""), schema, "x"));
        Assert.Contains("x.c: a field the document does not describe", Validate(Parse("""{ "a": 1, "c": 2 }"""), schema, "x"));
        Assert.Contains("x.a: Number is not integer", Validate(Parse("""{ "a": 1.5 }"""), schema, "x"));
        Assert.Contains("x.a: required but missing", Validate(Parse("""{ "b": "y" }"""), schema, "x"));
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;

    private static async Task<JsonNode> DocumentAsync(VotingTestServer server)
    {
        var (status, text) = await server.Api.GetTextAsync("/asyncapi/v1.json");
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        return JsonNode.Parse(text)!;
    }

    /// <summary>The JSON Schema keywords the document uses, strictly: a field the schema does not list is a problem.</summary>
    internal static List<string> Validate(JsonElement value, JsonNode schema, string path)
    {
        var problems = new List<string>();
        if (schema["type"] is { } type)
        {
            var allowed = type is JsonArray many ? many.Select(t => t!.GetValue<string>()).ToList() : [type.GetValue<string>()];
            if (!allowed.Any(t => Is(value, t))) problems.Add($"{path}: {value.ValueKind} is not {string.Join("|", allowed)}");
        }
        if (schema["const"] is { } constant && value.ToString() != constant.ToString()) problems.Add($"{path}: {value} is not {constant}");
        if (value.ValueKind == JsonValueKind.Object)
        {
            var properties = schema["properties"]?.AsObject();
            foreach (var required in schema["required"]?.AsArray() ?? [])
                if (!value.TryGetProperty(required!.GetValue<string>(), out _)) problems.Add($"{path}.{required}: required but missing");
            foreach (var field in value.EnumerateObject())
            {
                if (properties?[field.Name] is not { } fieldSchema) problems.Add($"{path}.{field.Name}: a field the document does not describe");
                else problems.AddRange(Validate(field.Value, fieldSchema, $"{path}.{field.Name}"));
            }
        }
        if (value.ValueKind == JsonValueKind.Array && schema["items"] is { } items)
            problems.AddRange(value.EnumerateArray().SelectMany(item => Validate(item, items, $"{path}[]")));
        return problems;
    }

    private static bool Is(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        _ => false,
    };
}
