using System.Globalization;
using System.Text.Json;
using Voting.Domain.Results;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.LiveShow;

/// <summary>LIVE_RESULTS follow the committed votes: the same numbers as the results endpoint and the audit.</summary>
public abstract class LiveResultsTests(StoreKind kind)
{
    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public async Task TwoHundredVotesOverHttpEndInALiveSnapshotEqualToTheResultsAndTheAudit()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var e = await api.OpenEpisodeAsync(contestants: 4);
        await using var ws = await LiveWatcher.WebSocketAsync(server.Address, e.EpisodeId);
        await using var sse = await LiveWatcher.SseAsync(server.Address, e.EpisodeId);
        var voters = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => api.SignInAsync()));

        // 40 voters x 5 free votes, spread so that every contestant ends with a different total.
        var votes = Enumerable.Range(0, 200).Select(i => (Voter: voters[i % 40], Contestant: e.Contestants[(i * i + i / 7) % 4])).ToList();
        await Task.WhenAll(votes.Select(v => api.VoteOkAsync(v.Voter.Token, v.Contestant)));
        var results = await api.ResultsAsync(e.EpisodeId);
        var audit = await api.AuditAsync(e.EpisodeId);

        foreach (var watcher in new[] { ws, sse })
        {
            var last = await watcher.NextAsync(m => m.Type == "LIVE_RESULTS" && m.Data.GetProperty("total_votes").GetInt64() == 200);
            await Task.Delay(1500); // nothing newer or different follows
            var after = watcher.Pending().Where(m => m.Type == "LIVE_RESULTS").Select(m => m.Data.GetProperty("results").GetRawText());
            Assert.All(after, r => Assert.Equal(last.Data.GetProperty("results").GetRawText(), r));

            var data = last.Data;
            Assert.Equal(200, audit.GetProperty("ledger_votes").GetInt64());
            Assert.Equal(audit.GetProperty("ledger_votes").GetInt64(), data.GetProperty("total_votes").GetInt64());
            Assert.Equal(results.GetProperty("episode").GetProperty("total_votes").GetInt64(), data.GetProperty("total_votes").GetInt64());
            var expected = results.GetProperty("results").EnumerateArray().ToList();
            var live = data.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(expected.Count, live.Count);
            for (var i = 0; i < live.Count; i++)
            {
                foreach (var field in new[] { "contestant_id", "name", "photo_url", "votes", "percentage", "rank" })
                    Assert.Equal(expected[i].GetProperty(field).GetRawText(), live[i].GetProperty(field).GetRawText());
                Assert.Equal(VoteCountFormat.Format(live[i].GetProperty("votes").GetInt64()), live[i].GetProperty("formatted_count").GetString());
                Assert.InRange(live[i].GetProperty("ballot_number").GetInt32(), 1, 4);
                Assert.Equal(["contestant_id", "name", "ballot_number", "photo_url", "votes", "formatted_count", "percentage", "rank", "change", "trend"],
                    live[i].EnumerateObject().Select(p => p.Name));
            }
            var perContestant = audit.GetProperty("by_contestant").EnumerateArray()
                .ToDictionary(c => c.GetProperty("contestant_id").GetInt64(), c => c.GetProperty("ledger_votes").GetInt64());
            Assert.All(live, r => Assert.Equal(perContestant[r.GetProperty("contestant_id").GetInt64()], r.GetProperty("votes").GetInt64()));
            Assert.InRange(data.GetProperty("time_remaining_seconds").GetInt64(), 1700, 1800);
            var asOf = At(data.GetProperty("as_of").GetString()!);
            Assert.InRange(asOf, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
            var seqs = watcher.Messages.Select(m => m.Seq).ToList();
            Assert.Equal(seqs.Order().Distinct(), seqs);
        }
    }

    [Fact]
    public async Task RanksChangesTrendsAndShortCountsFollowTheVotesOfTheLastMinutes()
    {
        // On a whole minute, so the trend periods are whole minutes of the test.
        var start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60);
        var clock = new ManualClock(start);
        await using var server = await VotingTestServer.StartAsync(kind, time: clock);
        var api = server.Api;
        var e = await api.OpenEpisodeAsync(contestants: 4, durationSeconds: 3600);
        var (ana, ben, cleo, dara) = (e.Contestants[0], e.Contestants[1], e.Contestants[2], e.Contestants[3]);
        var fan = await api.SignInAsync();
        await api.CreditAsync(fan.UserId, 10_000);
        async Task VoteAtAsync(int minute, long contestant, int votes)
        {
            clock.Set(start.AddMinutes(minute).AddSeconds(20));
            await api.VoteOkAsync(fan.Token, contestant, "paid", votes);
        }
        // Minutes 1..5 are "the five before", 6..10 "the last five" when read during minute 11.
        await VoteAtAsync(2, ana, 100);
        await VoteAtAsync(2, ben, 100);
        await VoteAtAsync(3, cleo, 100);
        await VoteAtAsync(3, dara, 100);
        await VoteAtAsync(7, ana, 1000);
        await VoteAtAsync(8, ana, 250);   // 100 -> 1250: rising fast
        await VoteAtAsync(7, ben, 110);   // 100 -> 110: rising (+10 %)
        await VoteAtAsync(9, cleo, 90);   // 100 -> 90: falling (-10 %)
        await VoteAtAsync(10, dara, 100); // 100 -> 100: stable
        await VoteAtAsync(11, dara, 500); // the minute in progress: counted, but not in a trend yet
        clock.Set(start.AddMinutes(11).AddSeconds(40));

        await using var watcher = await LiveWatcher.WebSocketAsync(server.Address, e.EpisodeId);
        var first = (await watcher.NextAsync("LIVE_RESULTS")).Data;
        await VoteAtAsync(11, cleo, 1000); // Cleo from fourth to first
        var second = (await watcher.NextAsync(m => m.Type == "LIVE_RESULTS" && m.Data.GetProperty("total_votes").GetInt64() == first.GetProperty("total_votes").GetInt64() + 1000)).Data;

        static string Line(JsonElement r) =>
            $"{r.GetProperty("name").GetString()} {r.GetProperty("votes")} {r.GetProperty("formatted_count").GetString()} " +
            $"{r.GetProperty("percentage").GetRawText()} #{r.GetProperty("rank")} {r.GetProperty("change")} {r.GetProperty("trend").GetString()}";
        Assert.Equal(
        [
            "Contestant 1 1350 1.3K 55.10 #1 0 rising_fast",
            "Contestant 4 700 700 28.57 #2 0 stable",
            "Contestant 2 210 210 8.57 #3 0 rising",
            "Contestant 3 190 190 7.76 #4 0 falling",
        ], first.GetProperty("results").EnumerateArray().Select(Line));
        Assert.Equal(
        [
            "Contestant 1 1350 1.3K 39.13 #1 0 rising_fast",
            "Contestant 3 1190 1.1K 34.49 #2 2 falling",
            "Contestant 4 700 700 20.29 #3 -1 stable",
            "Contestant 2 210 210 6.09 #4 -1 rising",
        ], second.GetProperty("results").EnumerateArray().Select(Line));
        Assert.Equal(2450, first.GetProperty("total_votes").GetInt64());
        Assert.Equal(start.AddMinutes(11).AddSeconds(20), At(second.GetProperty("as_of").GetString()!));
        Assert.Equal(3600 - 11 * 60 - 20, second.GetProperty("time_remaining_seconds").GetInt64());
        var countdown = second.GetProperty("time_remaining");
        Assert.Equal((3600L - 11 * 60 - 20, 0L, 0L, 48L, 40L), (countdown.GetProperty("total_seconds").GetInt64(), countdown.GetProperty("days").GetInt64(),
            countdown.GetProperty("hours").GetInt64(), countdown.GetProperty("minutes").GetInt64(), countdown.GetProperty("seconds").GetInt64()));
    }

    [Fact]
    public async Task TextMessageVotesMoveTheLiveResultsLikeAppVotes()
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        var e = await host.Api.OpenEpisodeAsync(contestants: 3);
        await using var watcher = await LiveWatcher.WebSocketAsync(host.Server.Address, e.EpisodeId);
        await watcher.NextAsync("LIVE_RESULTS");

        var answer = await host.Sms.TextAsync("smart", SmsDriver.NewPhone("smart"), "VOTE 3 4");
        var live = await watcher.NextAsync(m => m.Type == "LIVE_RESULTS" && m.Data.GetProperty("total_votes").GetInt64() == 4);

        Assert.True(answer.Processed, answer.Body);
        var first = live.Data.GetProperty("results")[0];
        Assert.Equal((e.Contestants[2], 4L), (first.GetProperty("contestant_id").GetInt64(), first.GetProperty("votes").GetInt64()));
    }
}

public sealed class SqliteLiveResultsTests() : LiveResultsTests(StoreKind.Sqlite);

public sealed class PostgresLiveResultsTests() : LiveResultsTests(StoreKind.Postgres);
