using System.Diagnostics;
using Voting.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Voting.Server.Tests.Reliability;

/// <summary>
/// PostgreSQL faults under load: the writer's connection terminated mid-batch, the server
/// restarted, a node's LISTEN connection terminated. Callers get 200 or 503 (never a 500), a
/// vote answered 503 is not in the ledger, the same key sent again settles it once, and the
/// server recovers without a restart of its own.
/// </summary>
public sealed class PostgresFaultTests(ITestOutputHelper output)
{
    private static Dictionary<string, string> Settings(TestDatabase db, string name) => new(CrashCampaign.Settings())
    {
        ["ConnectionStrings__Voting"] = db.ConnectionString + $";Application Name={name}",
    };

    [Fact]
    public async Task TerminatingTheWritersConnectionMidBatchAnswers503OrCommitsAndHalfWritesNothing()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Postgres);
        await using var server = await ServerProcess.StartAsync(db, Settings(db, "writer-node"));
        var (episode, voters) = await PrepareAsync(server);

        using var stop = new CancellationTokenSource();
        var load = PaidLoadAsync(server, episode, voters, stop.Token);
        var terminated = 0;
        var until = Stopwatch.StartNew();
        while (until.Elapsed < TimeSpan.FromSeconds(4))
        {
            // A backend inside a transaction of the vote writer (after its first statement, before commit).
            terminated += (int)await db.CountAsync("""
                SELECT COUNT(*) FROM (
                  SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                  WHERE datname = current_database() AND application_name = 'writer-node' AND pid <> pg_backend_pid()
                    AND xact_start IS NOT NULL AND state <> 'idle' AND query NOT LIKE 'LISTEN%') t
                """);
            await Task.Delay(30);
        }
        await stop.CancelAsync();
        var record = await load;
        output.WriteLine($"terminated {terminated} backends; " + string.Join(", ", record.Answers.Select(a => $"{a.Key}: {a.Value}")));

        Assert.True(terminated > 0, "no writer backend was caught mid-transaction");
        Assert.True(record.Count("vote 200") > 0);
        await LedgerChecks.VerifyAsync(db, server, episode, record);
    }

    [Fact]
    public async Task APostgresRestartUnderLoadIsRiddenOutWithoutRestartingTheServer()
    {
        await using var cluster = await PrivatePostgres.StartAsync();
        await using var db = await TestDatabase.CreateAsync(StoreKind.Postgres, cluster.ConnectionString);
        await using var server = await ServerProcess.StartAsync(db, Settings(db, "restart-node"));
        var (episode, voters) = await PrepareAsync(server);

        using var stop = new CancellationTokenSource();
        var load = PaidLoadAsync(server, episode, voters, stop.Token);
        await Task.Delay(1000);
        await cluster.RestartAsync(down: TimeSpan.FromSeconds(1));
        var restarted = DateTime.UtcNow;
        await SmsTestHost.EventuallyAsync(async () => (await server.Client.GetAsync("/health")).IsSuccessStatusCode, "the server to be healthy again", TimeSpan.FromSeconds(30));
        // Votes commit again on the server's own, without a restart.
        var after = await server.Api.VoteAsync(voters[0].Token, episode.Contestants[0], "paid", key: "after-restart");
        Assert.Equal(200, after.Code);
        await Task.Delay(1000);
        await stop.CancelAsync();
        var record = await load;
        output.WriteLine($"PostgreSQL back {DateTime.UtcNow - restarted} ago; " + string.Join(", ", record.Answers.Select(a => $"{a.Key}: {a.Value}")));

        Assert.True(record.Count("vote 503") > 0, "no vote met the restart");
        await LedgerChecks.VerifyAsync(db, server, episode, record);
    }

    [Fact]
    public async Task ANodeWhoseListenConnectionIsTerminatedListensAgainAndRereadsWhatItMissed()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Postgres);
        var a = Settings(db, "node-a");
        a["Storage__TallyShard"] = "1";
        var b = Settings(db, "node-b");
        b["Storage__TallyShard"] = "2";
        await using var nodeA = await ServerProcess.StartAsync(db, a);
        await using var nodeB = await ServerProcess.StartAsync(db, b);
        var episode = await nodeA.Api.OpenEpisodeAsync();
        var voter = await nodeA.Api.SignInAsync();
        await using var watcher = await LiveWatcher.WebSocketAsync(nodeB.Address, episode.EpisodeId);
        await watcher.NextAsync("LIVE_RESULTS");
        await nodeA.Api.VoteOkAsync(voter.Token, episode.Contestants[0]);
        await watcher.NextAsync(m => m.Type == "LIVE_RESULTS" && m.Data.GetProperty("total_votes").GetInt64() == 1, TimeSpan.FromSeconds(10));

        var killed = await db.CountAsync("""
            SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'node-b' AND query LIKE 'LISTEN%') t
            """);
        Assert.Equal(1, killed);
        // Committed on A while B is not listening: its notice is lost, so B must re-read.
        await nodeA.Api.VoteOkAsync(voter.Token, episode.Contestants[1], count: 2);
        await watcher.NextAsync(m => m.Type == "LIVE_RESULTS" && m.Data.GetProperty("total_votes").GetInt64() == 3, TimeSpan.FromSeconds(15));
        await SmsTestHost.EventuallyAsync(async () => await db.CountAsync(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'node-b' AND query LIKE 'LISTEN%'") == 1,
            "node B to listen again");
        // Listening again: the next notice arrives as usual.
        await nodeA.Api.VoteOkAsync(voter.Token, episode.Contestants[2]);
        await watcher.NextAsync(m => m.Type == "LIVE_RESULTS" && m.Data.GetProperty("total_votes").GetInt64() == 4, TimeSpan.FromSeconds(10));
    }

    private static async Task<(TestEpisode Episode, SignedIn[] Voters)> PrepareAsync(ServerProcess server)
    {
        var episode = await server.Api.OpenEpisodeAsync(contestants: 3);
        var voters = new SignedIn[12];
        for (var i = 0; i < voters.Length; i++)
        {
            voters[i] = await server.Api.SignInAsync();
            await server.Api.CreditAsync(voters[i].UserId, 100_000);
        }
        return (episode, voters);
    }

    /// <summary>32 workers cast paid votes with keys until told to stop; every answer is recorded.</summary>
    private static async Task<LoadRecord> PaidLoadAsync(ServerProcess server, TestEpisode episode, SignedIn[] voters, CancellationToken stop)
    {
        var record = new LoadRecord();
        var workers = Enumerable.Range(0, 32).Select(async w =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var vote = new SentVote(voters[(w + n) % voters.Length], $"f{w}-{n}", episode.Contestants[n % 3], "paid");
                record.Unsettled.Add(vote);
                var a = await server.Api.VoteAsync(vote.Voter.Token, vote.Contestant, vote.Type, key: vote.Key);
                if (a.Code == 200) record.Acknowledged.Add((vote, a.Data.GetProperty("vote_id").GetInt64()));
                record.Note(a.Code switch
                {
                    200 => "vote 200",
                    503 when a.ErrorCode == "UNAVAILABLE" && a.Headers.RetryAfter is not null => "vote 503",
                    _ => $"unexpected vote {a.Code} {a.ErrorCode}",
                });
                if (a.Code == 503) await Task.Delay(20, CancellationToken.None);
            }
        });
        await Task.WhenAll(workers);
        return record;
    }
}
