using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Reliability;

/// <summary>A vote request as sent, so it can be sent again with the same key after a crash.</summary>
public sealed record SentVote(SignedIn Voter, string Key, long Contestant, string Type);

/// <summary>A carrier's text as delivered, with the first answer if the carrier got one.</summary>
public sealed record SentText(string Carrier, string Phone, string Text, string MessageId, long ReceivedAt, string? FirstAnswer);

/// <summary>What a round of load got back: every acknowledged item, and what was in flight when the server died.</summary>
public sealed class LoadRecord
{
    public ConcurrentBag<(SentVote Vote, long VoteId)> Acknowledged { get; } = [];
    public ConcurrentBag<SentVote> Unsettled { get; } = [];
    public ConcurrentBag<string> Credits { get; } = [];
    public ConcurrentBag<(string Key, long PurchaseId)> Purchases { get; } = [];
    public ConcurrentBag<SentText> Texts { get; } = [];
    public ConcurrentDictionary<string, int> Answers { get; } = new(StringComparer.Ordinal);

    public int Count(string answer) => Answers.GetValueOrDefault(answer);

    public void Note(string answer) => Answers.AddOrUpdate(answer, 1, (_, n) => n + 1);

    /// <summary>Answers no client should ever get (500s, unexpected codes).</summary>
    public IEnumerable<string> Unexpected => Answers.Keys.Where(a => a.StartsWith("unexpected", StringComparison.Ordinal));
}

/// <summary>
/// Mixed viewer and operator traffic against one server process until it dies or is told to
/// stop: free, paid, bundle and app-SMS votes (each with an Idempotency-Key), carrier texts,
/// operator credits and test-store purchases. Every answer is classified; anything a client
/// should never see is recorded as "unexpected".
/// </summary>
public sealed class MixedLoad(ServerProcess server, TestEpisode episode, IReadOnlyList<SignedIn> voters, long packageId, string tag)
{
    private static readonly string[] Types = ["paid", "paid", "paid", "free", "bundle", "sms"];

    public LoadRecord Record { get; } = new();

    public async Task RunAsync(int workers, int seed, CancellationToken stop)
    {
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => WorkerAsync(w, new Random(seed * 1000 + w), stop)));
    }

    private async Task WorkerAsync(int w, Random rng, CancellationToken stop)
    {
        var sms = new SmsDriver(server.Client);
        for (var n = 0; !stop.IsCancellationRequested; n++)
        {
            var key = string.Create(CultureInfo.InvariantCulture, $"{tag}-{w}-{n}");
            var pick = rng.Next(20);
            try
            {
                if (pick < 15) await VoteAsync(new SentVote(voters[rng.Next(voters.Count)], key, episode.Contestants[rng.Next(episode.Contestants.Count)], Types[pick % Types.Length]));
                else if (pick < 17) await TextAsync(sms, rng);
                else if (pick < 19) await CreditAsync(voters[rng.Next(voters.Count)], key);
                else await PurchaseAsync(voters[rng.Next(voters.Count)], key);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or IOException)
            {
                Record.Note("transport error");
                return; // the server is gone
            }
        }
    }

    private async Task VoteAsync(SentVote vote)
    {
        Record.Unsettled.Add(vote);
        var a = await server.Api.VoteAsync(vote.Voter.Token, vote.Contestant, vote.Type, key: vote.Key);
        if (a.Code == 200) Record.Acknowledged.Add((vote, a.Data.GetProperty("vote_id").GetInt64()));
        Record.Note(a.Code switch
        {
            200 => "vote 200",
            422 => "vote 422",
            503 when a.ErrorCode == "UNAVAILABLE" && a.Headers.RetryAfter is not null => "vote 503",
            _ => $"unexpected vote {a.Code} {a.ErrorCode}",
        });
    }

    private async Task TextAsync(SmsDriver sms, Random rng)
    {
        var carrier = SmsDriver.Carriers[rng.Next(3)];
        var phone = SmsDriver.NewPhone(carrier);
        var text = $"VOTE {rng.Next(1, episode.Contestants.Count + 1)}";
        var id = SmsDriver.NewMessageId();
        var at = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        WebhookAnswer a;
        try
        {
            a = await sms.TextAsync(carrier, phone, text, id, at);
        }
        catch
        {
            Record.Texts.Add(new SentText(carrier, phone, text, id, at, null));
            throw;
        }
        Record.Texts.Add(new SentText(carrier, phone, text, id, at, a.Code == 200 ? a.Body : null));
        Record.Note(a.Code is 200 or 503 ? $"text {a.Code}" : $"unexpected text {a.Code}");
    }

    private async Task CreditAsync(SignedIn voter, string key)
    {
        var a = await server.Api.PostAsync($"/api/v1/admin/users/{voter.UserId}/vote_credits", new { amount = 5, reason = "campaign" }, admin: true,
            headers: new Dictionary<string, string> { ["Idempotency-Key"] = key });
        if (a.Code == 200) Record.Credits.Add(key);
        Record.Note(a.Code == 200 ? "credit 200" : $"unexpected credit {a.Code} {a.ErrorCode}");
    }

    private async Task PurchaseAsync(SignedIn voter, string key)
    {
        var a = await server.Api.PostAsync("/api/v1/xfactor/purchases", new { platform = "test", package_id = packageId }, voter.Token,
            headers: new Dictionary<string, string> { ["Idempotency-Key"] = key });
        if (a.Code == 200) Record.Purchases.Add((key, a.Data.GetProperty("purchase_id").GetInt64()));
        Record.Note(a.Code == 200 ? "purchase 200" : $"unexpected purchase {a.Code} {a.ErrorCode}");
    }
}
