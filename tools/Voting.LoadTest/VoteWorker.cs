using System.Diagnostics;
using System.Globalization;

namespace Voting.LoadTest;

/// <summary>One connection's loop: send a vote, wait for the whole answer, record it, repeat.</summary>
internal sealed class VoteWorker(int id, LoadPlan plan, HttpClient client)
{
    // Refusal envelopes are small; past this the rest of a body is read and dropped.
    private const int KeptBytes = 4096;
    private static readonly TimeSpan TransportErrorPause = TimeSpan.FromMilliseconds(10);

    private readonly byte[] _buffer = new byte[2 * KeptBytes];
    private long _sequence;

    public WorkerStats Stats { get; } = new();

    /// <summary>The server this worker sends to: an index into <see cref="LoadPlan.CastVoteUris"/>.</summary>
    public int Target { get; } = id % plan.CastVoteUris.Count;

    public async Task RunAsync(CancellationToken ct)
    {
        var random = new Random(plan.Seed + id);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!await plan.WaitTurnAsync(Target, ct)) return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var started = Stopwatch.GetTimestamp();
            if (started >= plan.End) return;
            var measured = started >= plan.MeasureStart;
            using var request = CreateRequest(plan.Bodies[random.Next(plan.Bodies.Count)]);
            int status, kept;
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                status = (int)response.StatusCode;
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                kept = await DrainAsync(body, keep: status != 200, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (TransportError(ex) is { } kind)
            {
                Stats.RecordTransportError(measured, kind);
                // A refused connection fails at once; without a pause the loop would only spin.
                await PauseAsync(ct);
                continue;
            }
            var micros = Stopwatch.GetElapsedTime(started).Ticks / TimeSpan.TicksPerMicrosecond;
            Stats.RecordAnswer(measured, status, micros, _buffer.AsSpan(0, kept));
        }
    }

    private HttpRequestMessage CreateRequest(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, plan.CastVoteUris[Target]) { Content = content };
        request.Headers.TryAddWithoutValidation("Authorization", plan.NextVoter().Authorization);
        if (plan.IdempotencyPrefix is { } prefix)
        {
            request.Headers.TryAddWithoutValidation(
                "Idempotency-Key", string.Create(CultureInfo.InvariantCulture, $"{prefix}-{id}-{_sequence++}"));
        }
        return request;
    }

    /// <summary>Reads the body to its end (so the connection can be reused), keeping its start if asked.</summary>
    private async ValueTask<int> DrainAsync(Stream body, bool keep, CancellationToken ct)
    {
        var kept = 0;
        while (true)
        {
            var target = keep && kept < KeptBytes ? _buffer.AsMemory(kept, KeptBytes - kept) : _buffer.AsMemory(KeptBytes);
            var read = await body.ReadAsync(target, ct);
            if (read == 0) return kept;
            if (keep && kept < KeptBytes) kept += read;
        }
    }

    private static async Task PauseAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(TransportErrorPause, ct);
        }
        catch (OperationCanceledException)
        {
            // The loop condition sees the cancellation.
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
