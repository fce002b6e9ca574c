using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;

namespace Voting.Server.Tests.Infrastructure;

/// <summary>A webhook's answer as the carrier sees it.</summary>
public sealed record WebhookAnswer(string Carrier, HttpStatusCode Status, string Body, string? ContentType)
{
    public int Code => (int)Status;

    /// <summary>Whether the answer says the text was counted, read in the carrier's own format.</summary>
    public bool Processed => Carrier switch
    {
        "smart" => JsonDocument.Parse(Body).RootElement.GetProperty("status").GetString() == "processed",
        "cellcard" => JsonDocument.Parse(Body).RootElement.GetProperty("success").GetBoolean(),
        _ => XDocument.Parse(Body).Root!.Element("status")!.Value == "OK",
    };

    /// <summary>Whether the answer is a well-formed "not counted / refused" in the carrier's format.</summary>
    public bool IsCarriersNo => Carrier switch
    {
        "smart" => JsonDocument.Parse(Body).RootElement.GetProperty("status").GetString() == "failed",
        "cellcard" => !JsonDocument.Parse(Body).RootElement.GetProperty("success").GetBoolean(),
        _ => ContentType == "application/xml" && XDocument.Parse(Body).Root!.Element("status")!.Value == "ERROR",
    };
}

/// <summary>Delivers texts to the voting server's webhooks the way each carrier does.</summary>
public sealed class SmsDriver(HttpClient client)
{
    public static readonly string[] Carriers = ["smart", "cellcard", "metfone"];
    private static int _messages = Random.Shared.Next(1_000_000);

    public static string NewMessageId() => "msg-" + Interlocked.Increment(ref _messages).ToString(CultureInfo.InvariantCulture);

    /// <summary>A new number on a carrier's own prefix (010 Smart, 012 Cellcard, 097 Metfone).</summary>
    public static string NewPhone(string carrier) =>
        (carrier switch { "smart" => "010", "cellcard" => "012", _ => "097" })
        + (Interlocked.Increment(ref _messages) % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>The carrier's body for a text, as a dictionary of its own field names.</summary>
    public static Dictionary<string, object?> Fields(string carrier, string from, string text, string messageId, object receivedAt) => carrier switch
    {
        "smart" => new() { ["from"] = from, ["to"] = "1255", ["message"] = text, ["message_id"] = messageId, ["timestamp"] = receivedAt },
        "cellcard" => new()
        {
            ["msisdn"] = from,
            ["short_code"] = "1255",
            ["text"] = text,
            ["msg_id"] = messageId,
            ["received_at"] = receivedAt,
            ["api_token"] = FakeCarrier.CellcardToken,
        },
        _ => new() { ["sender"] = from, ["receiver"] = "1255", ["content"] = text, ["sms_id"] = messageId, ["recv_time"] = receivedAt },
    };

    /// <summary>A correctly authenticated delivery of a text, received by the carrier now unless told otherwise.</summary>
    public Task<WebhookAnswer> TextAsync(string carrier, string from, string text, string? messageId = null, object? receivedAt = null) =>
        PostAsync(carrier, JsonSerializer.Serialize(Fields(carrier, from, text, messageId ?? NewMessageId(),
            receivedAt ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds())));

    /// <summary>Posts a body with the carrier's credential (header for Smart and Metfone) unless <paramref name="credential"/> says otherwise.</summary>
    /// <param name="credential">null: the right one; "": none; anything else: that value (Smart: the signature header itself).</param>
    public async Task<WebhookAnswer> PostAsync(string carrier, string body, string contentType = "application/json", string? credential = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/webhooks/sms/{carrier}")
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        };
        if (carrier == "smart")
        {
            var signature = credential ?? Sign(body);
            if (signature.Length > 0) request.Headers.TryAddWithoutValidation("X-Smart-Signature", signature);
        }
        else if (carrier == "metfone")
        {
            var key = credential ?? FakeCarrier.MetfoneKey;
            if (key.Length > 0) request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {key}");
        }
        using var response = await client.SendAsync(request);
        return new WebhookAnswer(carrier, response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    public static string Sign(string body, string secret = FakeCarrier.SmartSecret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
