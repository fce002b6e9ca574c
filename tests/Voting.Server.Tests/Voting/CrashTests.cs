using System.Collections.Concurrent;
using System.Net;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Voting;

/// <summary>
/// The server runs as its own process under load and is killed with SIGKILL (or stopped with
/// SIGTERM); after a restart every vote answered 200 is in the ledger and the audit agrees.
/// </summary>
public abstract class CrashTests(StoreKind kind)
{
    private static readonly Dictionary<string, string> Unlimited = new() { ["Voting__VoteRequestsPerMinute"] = "1000000" };

    [Fact]
    public async Task EveryAcknowledgedVoteSurvivesAKillMidLoad()
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var (episode, voters) = await PrepareAsync(db);
        ConcurrentBag<long> acknowledged;
        await using (var first = await ServerProcess.StartAsync(db, Unlimited))
        {
            acknowledged = await LoadUntilAsync(first, episode, voters, async () =>
            {
                await Task.Delay(1500);
                await first.KillAsync();
            });
        }
        Assert.True(acknowledged.Count > 50, $"only {acknowledged.Count} votes were acknowledged before the kill");

        await using var second = await ServerProcess.StartAsync(db, Unlimited);
        var ledger = await db.VoteIdsAsync();
        Assert.DoesNotContain(acknowledged, id => !ledger.Contains(id));
        var audit = await second.Api.AuditAsync(episode.EpisodeId);
        Assert.True(audit.GetProperty("consistent").GetBoolean());
        Assert.Equal(ledger.Count, audit.GetProperty("vote_rows").GetInt64());
        var after = await second.Api.VoteAsync(voters[0].Token, episode.Contestants[0], "paid");
        Assert.Equal(HttpStatusCode.OK, after.Status);
    }

    [Fact]
    public async Task ASigtermUnderLoadAnswersWhatWasQueuedAndLosesNothing()
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var (episode, voters) = await PrepareAsync(db);
        var statuses = new ConcurrentBag<int>();
        ConcurrentBag<long> acknowledged;
        await using (var first = await ServerProcess.StartAsync(db, Unlimited))
        {
            acknowledged = await LoadUntilAsync(first, episode, voters, async () =>
            {
                await Task.Delay(1500);
                await first.TerminateAsync();
            }, statuses);
        }
        Assert.DoesNotContain(500, statuses);
        Assert.All(statuses, s => Assert.True(s is 200 or 503, $"unexpected status {s}"));

        await using var second = await ServerProcess.StartAsync(db, Unlimited);
        var ledger = await db.VoteIdsAsync();
        Assert.DoesNotContain(acknowledged, id => !ledger.Contains(id));
        Assert.True((await second.Api.AuditAsync(episode.EpisodeId)).GetProperty("consistent").GetBoolean());
    }

    private static async Task<(TestEpisode Episode, SignedIn[] Voters)> PrepareAsync(TestDatabase db)
    {
        await using var setup = await ServerProcess.StartAsync(db, Unlimited);
        var episode = await setup.Api.OpenEpisodeAsync(contestants: 3);
        var voters = new SignedIn[20];
        for (var i = 0; i < voters.Length; i++)
        {
            voters[i] = await setup.Api.SignInAsync();
            await setup.Api.CreditAsync(voters[i].UserId, 100_000);
        }
        await setup.TerminateAsync();
        return (episode, voters);
    }

    /// <summary>64 workers cast paid votes until their requests fail; returns the vote ids answered 200.</summary>
    private static async Task<ConcurrentBag<long>> LoadUntilAsync(ServerProcess server, TestEpisode episode, SignedIn[] voters,
        Func<Task> stop, ConcurrentBag<int>? statuses = null)
    {
        var acknowledged = new ConcurrentBag<long>();
        var stopping = stop();
        var workers = Enumerable.Range(0, 64).Select(async w =>
        {
            for (var n = 0; ; n++)
            {
                ApiAnswer answer;
                try
                {
                    answer = await server.Api.VoteAsync(voters[(w + n) % voters.Length].Token, episode.Contestants[n % 3], "paid", key: $"w{w}-{n}");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
                {
                    return; // the server is gone
                }
                statuses?.Add(answer.Code);
                if (answer.Status == HttpStatusCode.OK) acknowledged.Add(answer.Data.GetProperty("vote_id").GetInt64());
                else if (answer.Code == 503) return;
            }
        });
        await Task.WhenAll(workers);
        await stopping;
        return acknowledged;
    }
}

public sealed class SqliteCrashTests() : CrashTests(StoreKind.Sqlite);

public sealed class PostgresCrashTests() : CrashTests(StoreKind.Postgres);
