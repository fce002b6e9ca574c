using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Voting.LoadTest;

/// <summary>One connection's loop: sign a text, deliver it, wait for the whole answer, record it, repeat.</summary>
internal sealed class SmsWorker(int id, SmsPlan plan, HttpClient client, int seed)
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly TimeSpan TransportErrorPause = TimeSpan.FromMilliseconds(10);
    // Answers are tens of bytes; past this the rest of a body is read and dropped.
    private const int KeptBytes = 1024;
    private readonly byte[] _buffer = new byte[2 * KeptBytes];
    private long _sequence;

    public WorkerStats Stats { get; } = new();

    public async Task RunAsync(CancellationToken ct)
    {
        var random = new Random(seed + id);
        while (!ct.IsCancellationRequested)
        {
            var started = Stopwatch.GetTimestamp();
            if (started >= plan.End) return;
            var measured = started >= plan.MeasureStart;
            using var request = CreateRequest(plan.Ballots[random.Next(plan.Ballots.Count)]);
            int status, kept;
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                status = (int)response.StatusCode;
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                kept = await DrainAsync(body, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (TransportError(ex) is { } kind)
            {
                Stats.RecordTransportError(measured, kind);
                try
                {
                    await Task.Delay(TransportErrorPause, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            var micros = Stopwatch.GetElapsedTime(started).Ticks / TimeSpan.TicksPerMicrosecond;
            var answer = _buffer.AsSpan(0, kept);
            var processed = status == 200 && answer.IndexOf("\"processed\""u8) >= 0;
            Stats.RecordAnswer(measured, processed, status, micros, Reason(status, answer));
        }
    }

    /// <summary>Smart's answers carry no error code: a 200 "failed" is a refused text, anything else is named by its status.</summary>
    private static ReadOnlySpan<byte> Reason(int status, ReadOnlySpan<byte> answer) => status switch
    {
        200 => answer.IndexOf("\"processed\""u8) >= 0 ? default : "failed (refused text)"u8,
        400 => "INVALID_REQUEST"u8,
        401 => "UNAUTHORIZED (check --secret)"u8,
        503 => "UNAVAILABLE"u8,
        _ => default,
    };

    private HttpRequestMessage CreateRequest(int ballot)
    {
        var count = plan.VoteCount > 1 ? string.Create(CultureInfo.InvariantCulture, $" {plan.VoteCount}") : "";
        var body = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{{\"from\":\"{plan.NextNumber()}\",\"to\":\"1255\",\"message\":\"VOTE {ballot}{count}\",\"message_id\":\"{plan.IdPrefix}-{id}-{_sequence++}\",\"timestamp\":{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}"));
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        var request = new HttpRequestMessage(HttpMethod.Post, plan.Uri) { Content = content };
        request.Headers.TryAddWithoutValidation("X-Smart-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(plan.Secret, body)));
        return request;
    }

    private async ValueTask<int> DrainAsync(Stream body, CancellationToken ct)
    {
        var kept = 0;
        while (true)
        {
            var target = kept < KeptBytes ? _buffer.AsMemory(kept, KeptBytes - kept) : _buffer.AsMemory(KeptBytes);
            var read = await body.ReadAsync(target, ct);
            if (read == 0) return kept;
            if (kept < KeptBytes) kept += read;
        }
    }

    private static string? TransportError(Exception ex) => ex switch
    {
        HttpRequestException http => http.HttpRequestError.ToString(),
        TaskCanceledException { InnerException: TimeoutException } => "Timeout",
        IOException => "ResponseBodyIO",
        _ => null,
    };
}
