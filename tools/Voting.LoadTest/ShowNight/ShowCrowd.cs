using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Voting.LoadTest.ShowNight;

/// <summary>
/// Plays the plan against the open window: each request leaves at its planned time (at most
/// <c>connections</c> in flight); app votes to cast_vote with an Idempotency-Key, texts to the
/// Smart webhook signed with the carrier's secret. Records every answer by kind.
/// </summary>
internal sealed class ShowCrowd(ShowPlan plan, IReadOnlyDictionary<int, Voter> voters, IReadOnlyDictionary<int, string> phones,
    IReadOnlyList<long> contestantIds, ShowNightOptions options, HttpClient http)
{
    private readonly string _runId = "sn" + Stopwatch.GetTimestamp().ToString("x", CultureInfo.InvariantCulture);
    private long _sent;

    public CrowdFigures Figures { get; } = new();
    public long Sent => Interlocked.Read(ref _sent);
    public long Skipped { get; private set; }

    /// <summary>The prefix of every message id this run texts, to find its replies.</summary>
    public string MessagePrefix => _runId;

    public async Task RunAsync(CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(options.Connections);
        var inFlight = new List<Task>();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < plan.Votes.Count && !ct.IsCancellationRequested; i++)
        {
            var vote = plan.Votes[i];
            var wait = TimeSpan.FromMilliseconds(vote.AtMs) - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, ct);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
            HttpRequestMessage request;
            if (vote.Kind == VoteKind.Sms && phones.TryGetValue(vote.Viewer, out var phone)) request = Text(phone, vote, i);
            else if (vote.Kind != VoteKind.Sms && voters.TryGetValue(vote.Viewer, out var voter)) request = CastVote(voter, vote, i);
            else
            {
                Skipped++;
                continue;
            }
            await gate.WaitAsync(CancellationToken.None);
            Interlocked.Increment(ref _sent);
            inFlight.Add(SendAsync(request, vote, gate));
        }
        await Task.WhenAll(inFlight);
    }

    private HttpRequestMessage CastVote(Voter voter, PlannedVote vote, int index)
    {
        var type = vote.Kind switch { VoteKind.Free => "free", VoteKind.Paid => "paid", _ => "bundle" };
        var body = string.Create(CultureInfo.InvariantCulture, $"{{\"contestant_id\":{contestantIds[vote.Contestant]},\"vote_type\":\"{type}\",\"vote_count\":{vote.VoteCount}}}");
        var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/xfactor/voting/cast_vote") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", voter.Authorization);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", string.Create(CultureInfo.InvariantCulture, $"{_runId}-{index}"));
        return request;
    }

    private HttpRequestMessage Text(string phone, PlannedVote vote, int index)
    {
        var count = vote.VoteCount > 1 ? string.Create(CultureInfo.InvariantCulture, $" {vote.VoteCount}") : "";
        var body = string.Create(CultureInfo.InvariantCulture,
            $"{{\"from\":\"{phone}\",\"to\":\"1255\",\"message\":\"VOTE {vote.Contestant + 1}{count}\",\"message_id\":\"{_runId}-{index}\",\"timestamp\":{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}}}");
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, "webhooks/sms/smart") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("X-Smart-Signature", Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(options.SmsSecret!), bytes)));
        return request;
    }

    private async Task SendAsync(HttpRequestMessage request, PlannedVote vote, SemaphoreSlim gate)
    {
        var figures = Figures.ByKind[vote.Kind];
        var started = Stopwatch.GetTimestamp();
        try
        {
            using (request)
            {
                using var response = await http.SendAsync(request, CancellationToken.None);
                var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
                var micros = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                Judge(vote, (int)response.StatusCode, text, micros, figures);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            figures.RecordUnknown(vote.VoteCount, ex is HttpRequestException h ? h.HttpRequestError.ToString() : "timeout");
            Figures.UnknownByViewer.AddOrUpdate(vote.Viewer, 1, (_, n) => n + 1);
        }
        finally
        {
            gate.Release();
        }
    }

    private void Judge(PlannedVote vote, int status, string text, long micros, VoteFigures figures)
    {
        JsonElement root = default;
        try
        {
            root = JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
        }
        if (vote.Kind == VoteKind.Sms)
        {
            // Smart's answer carries no code: 200 "processed" counted, 200 "failed" refused (the texter gets the reason).
            var processed = status == 200 && root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("status", out var s) && s.GetString() == "processed";
            if (processed) figures.RecordAcknowledged(vote.VoteCount, micros);
            else figures.RecordRefused(status == 200 ? "200 failed" : string.Create(CultureInfo.InvariantCulture, $"{status} (carrier answer)"));
            return;
        }
        if (status == 200 && root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data)
            && data.TryGetProperty("vote_id", out var id))
        {
            figures.RecordAcknowledged(vote.VoteCount, micros);
            Figures.VoteIds.GetOrAdd(vote.Viewer, _ => new ConcurrentBag<long>()).Add(id.GetInt64());
            return;
        }
        var code = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error_code", out var c) ? c.GetString() : "(no error_code)";
        figures.RecordRefused(string.Create(CultureInfo.InvariantCulture, $"{status} {code}"));
    }
}
