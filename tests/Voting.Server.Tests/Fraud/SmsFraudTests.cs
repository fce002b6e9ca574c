using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Fraud;

/// <summary>
/// Texts are scored on their number's velocity and timing only. With the design's weights a text
/// can reach review (0.80) but never a block, so the blocking test raises the timing weight.
/// </summary>
public abstract class SmsFraudTests(StoreKind kind)
{
    [Fact]
    public async Task A_text_blocked_for_its_score_gets_a_polite_reply_no_charge_and_is_kept_for_the_operators()
    {
        await using var host = await SmsTestHost.StartAsync(kind, settings: new Dictionary<string, string?> { ["Fraud:Weights:Timing"] = "0.9" });
        var e = await host.Api.OpenEpisodeAsync();
        var phone = SmsDriver.NewPhone("smart");

        // Ten texts at a machine's regularity: the tenth completes the timing rule.
        var answers = new List<WebhookAnswer>();
        for (var i = 0; i < 11; i++) answers.Add(await host.Sms.TextAsync("smart", phone, "VOTE 1"));

        // The carrier is told the text was taken (200) but not counted: it must not bill it.
        Assert.All(answers, a => Assert.Equal(200, a.Code));
        Assert.Equal([.. Enumerable.Repeat(true, 9), false, false], answers.Select(a => a.Processed));

        var replies = await host.RepliesToAsync(phone, 11);
        Assert.Equal(9, replies.Count(r => r!.StartsWith("Thanks!", StringComparison.Ordinal)));
        Assert.Equal(2, replies.Count(r => r == "Sorry, your vote could not be counted. You have not been charged."));
        await SmsTestHost.EventuallyAsync(() => Task.FromResult(host.Carrier.Accepted.Count(r => r.Kind == "charge" && r.To == phone) >= 9), "9 charges");
        await Task.Delay(300);
        Assert.Equal(9, host.Carrier.Accepted.Count(r => r.Kind == "charge" && r.To == phone));
        var votes = (await host.Api.ResultsAsync(e.EpisodeId)).GetProperty("results")[0].GetProperty("votes").GetInt64();
        Assert.Equal(9, votes);
        var blocked = (await host.Api.GetAsync($"/api/v1/admin/fraud/blocked?episode_id={e.EpisodeId}", admin: true)).Data.GetProperty("blocked")
            .EnumerateArray().ToList();
        Assert.Equal(2, blocked.Count);
        Assert.All(blocked, b =>
        {
            Assert.Equal("sms", b.GetProperty("vote_type").GetString());
            Assert.Equal(["timing"], b.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
            Assert.Equal(e.Contestants[0], b.GetProperty("contestant_id").GetInt64());
        });
        Assert.True((await host.Api.AuditAsync(e.EpisodeId)).GetProperty("consistent").GetBoolean());
    }

    [Fact]
    public async Task A_text_scored_over_the_review_threshold_is_counted_charged_and_queued()
    {
        await using var host = await SmsTestHost.StartAsync(kind, settings: new Dictionary<string, string?> { ["Fraud:Weights:Timing"] = "0.6" });
        var e = await host.Api.OpenEpisodeAsync();
        var phone = SmsDriver.NewPhone("metfone");

        for (var i = 0; i < 10; i++) Assert.True((await host.Sms.TextAsync("metfone", phone, "VOTE 2")).Processed);

        var replies = await host.RepliesToAsync(phone, 10);
        Assert.All(replies, r => Assert.StartsWith("Thanks!", r, StringComparison.Ordinal));
        var review = Assert.Single((await host.Api.GetAsync($"/api/v1/admin/fraud/reviews?episode_id={e.EpisodeId}", admin: true)).Data
            .GetProperty("reviews").EnumerateArray());
        Assert.Equal((0.6m, "open"), (review.GetProperty("score").GetDecimal(), review.GetProperty("status").GetString()));
    }
}

public sealed class SqliteSmsFraudTests() : SmsFraudTests(StoreKind.Sqlite);

public sealed class PostgresSmsFraudTests() : SmsFraudTests(StoreKind.Postgres);
