using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using Voting.Server.Infrastructure;
using Voting.Server.Live;

namespace Voting.Server.ApiDocs;

/// <summary>
/// The AsyncAPI 3.0 description of the push channels, built from the records the server serializes
/// (<see cref="LiveMessageCatalog"/>) with the push messages' own JSON options, so it cannot drift from them.
/// </summary>
public static class AsyncApiDocument
{
    private const string Socket = "votingSocket";
    private const string Stream = "votingStream";

    // The push messages' options, describing what they write: numbers as numbers (the web defaults
    // would also read quoted ones, which no client is sent). The exporter needs its resolver named.
    private static readonly JsonSerializerOptions SchemaOptions = new(LiveJson.Options)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    public static JsonObject Build(string host, bool secure)
    {
        var messages = new JsonObject();
        var schemas = new JsonObject();
        foreach (var m in LiveMessageCatalog.All)
        {
            schemas[m.Type] = PayloadSchema(m);
            messages[m.Type] = new JsonObject
            {
                ["name"] = m.Type,
                ["title"] = m.Type,
                ["summary"] = m.Summary,
                ["contentType"] = "application/json",
                ["payload"] = Ref($"#/components/schemas/{m.Type}"),
                ["examples"] = new JsonArray(new JsonObject { ["name"] = m.Type.ToLowerInvariant(), ["payload"] = Example(m) }),
            };
        }

        return new JsonObject
        {
            ["asyncapi"] = "3.0.0",
            ["info"] = new JsonObject
            {
                ["title"] = "XFactor Voting live channels",
                ["version"] = "1.0.0",
                ["description"] = "What viewers' screens hear while the show is on: the show's state, the voting clock and live results. " +
                    "The WebSocket and the Server-Sent-Events stream carry the same messages, each `{ type, seq, episode_id, sent_at, data }` " +
                    "in snake_case; `seq` grows by one per message of an episode, so a client that reconnects with `last_seq` (or SSE's " +
                    "Last-Event-ID) resumes where it left off. The HTTP API is described at /openapi/v1.json.",
                ["license"] = new JsonObject { ["name"] = "Proprietary" },
            },
            ["defaultContentType"] = "application/json",
            ["servers"] = new JsonObject
            {
                ["websocket"] = new JsonObject
                {
                    ["host"] = host,
                    ["protocol"] = secure ? "wss" : "ws",
                    ["description"] = "The voting server's WebSocket endpoint.",
                },
                ["sse"] = new JsonObject
                {
                    ["host"] = host,
                    ["protocol"] = secure ? "https" : "http",
                    ["description"] = "The voting server's Server-Sent-Events endpoint (text/event-stream).",
                },
            },
            ["channels"] = new JsonObject
            {
                [Socket] = new JsonObject
                {
                    ["address"] = "/ws/voting",
                    ["title"] = "Live voting (WebSocket)",
                    ["description"] = "`GET /ws/voting?episode_id=N[&contestant_id=M][&last_seq=S]` upgraded to a WebSocket; no credential. " +
                        "Each message is one text frame. Clients send no application messages: the server ignores any frame but a close, " +
                        "which ends the subscription (Kestrel answers pings). A refused upgrade is an HTTP error envelope " +
                        "(400 INVALID_REQUEST, 404 EPISODE_NOT_FOUND or CONTESTANT_NOT_FOUND, 503 UNAVAILABLE).",
                    ["servers"] = new JsonArray(Ref("#/servers/websocket")),
                    ["messages"] = ChannelMessages(),
                    ["bindings"] = new JsonObject
                    {
                        ["ws"] = new JsonObject { ["method"] = "GET", ["query"] = QuerySchema(withEpisode: true), ["bindingVersion"] = "0.1.0" },
                    },
                },
                [Stream] = new JsonObject
                {
                    ["address"] = "/api/v1/xfactor/voting/stream/{episodeId}",
                    ["title"] = "Live voting (Server-Sent Events)",
                    ["description"] = "`GET /api/v1/xfactor/voting/stream/{episodeId}[?contestant_id=M][&last_seq=S]` as `text/event-stream`; " +
                        "no credential. Each message is `id: <seq>`, `event: <type>`, `data: <the JSON message>`; `Last-Event-ID` resumes like last_seq.",
                    ["servers"] = new JsonArray(Ref("#/servers/sse")),
                    ["parameters"] = new JsonObject { ["episodeId"] = new JsonObject { ["description"] = "The episode to follow." } },
                    ["messages"] = ChannelMessages(),
                },
            },
            ["operations"] = new JsonObject
            {
                ["receiveSocketMessages"] = Receive(Socket, "Messages pushed over the WebSocket."),
                ["receiveStreamMessages"] = Receive(Stream, "Messages pushed over Server-Sent Events."),
            },
            ["components"] = new JsonObject { ["messages"] = messages, ["schemas"] = schemas },
        };
    }

    /// <summary>The JSON Schema of a message: the envelope with <c>type</c> fixed and <c>data</c> the record's schema.</summary>
    public static JsonNode PayloadSchema(LiveMessageDoc message)
    {
        var schema = JsonSchemaExporter.GetJsonSchemaAsNode(SchemaOptions, typeof(PushEnvelope<>).MakeGenericType(message.DataType),
            new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true });
        var properties = schema["properties"]!.AsObject();
        properties["type"] = new JsonObject { ["type"] = "string", ["const"] = message.Type };
        properties["seq"]!["description"] = "Grows by one per message of the episode.";
        properties["sent_at"]!["description"] = "Server time, ISO-8601 UTC with milliseconds.";
        // The envelope's data is a generic parameter, whose nullability the exporter cannot see: it is never null.
        properties["data"]!["type"] = "object";
        schema["description"] = message.Summary;
        return schema;
    }

    /// <summary>The example message, serialized exactly as the server writes one.</summary>
    public static JsonNode Example(LiveMessageDoc message)
    {
        var envelope = Activator.CreateInstance(typeof(PushEnvelope<>).MakeGenericType(message.DataType),
            message.Type, 42L, 9L, "2025-06-14T12:40:00.123Z", message.Example)!;
        return JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(envelope, envelope.GetType(), LiveJson.Options))!;
    }

    private static JsonObject ChannelMessages()
    {
        var messages = new JsonObject();
        foreach (var m in LiveMessageCatalog.All) messages[m.Type] = Ref($"#/components/messages/{m.Type}");
        return messages;
    }

    private static JsonObject Receive(string channel, string summary)
    {
        var refs = new JsonArray();
        foreach (var m in LiveMessageCatalog.All) refs.Add(Ref($"#/channels/{channel}/messages/{m.Type}"));
        return new JsonObject { ["action"] = "receive", ["summary"] = summary, ["channel"] = Ref($"#/channels/{channel}"), ["messages"] = refs };
    }

    private static JsonObject QuerySchema(bool withEpisode)
    {
        var properties = new JsonObject
        {
            ["contestant_id"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["description"] = "Also send vote_update and detailed_update for this contestant." },
            ["last_seq"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0, ["description"] = "Resume after this seq (missed messages are replayed when still kept)." },
        };
        if (withEpisode) properties["episode_id"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["description"] = "The episode to follow." };
        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
            ["required"] = withEpisode ? new JsonArray("episode_id") : new JsonArray(),
        };
    }

    private static JsonObject Ref(string pointer) => new() { ["$ref"] = pointer };
}
