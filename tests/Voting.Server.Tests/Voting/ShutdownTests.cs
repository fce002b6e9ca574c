using System.Net;
using Voting.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Voting.Server.Tests.Voting;

/// <summary>A graceful stop (as on SIGTERM) in the middle of voting keeps every acknowledged vote.</summary>
public abstract class ShutdownTests(StoreKind kind, ITestOutputHelper output)
{
    private const int Voters = 30;
    private const int CreditPerVoter = 10;
    private const int Votes = Voters * CreditPerVoter;

    /// <summary>What one request got: an HTTP answer, or a transport error (Status 0).</summary>
    private sealed record Outcome(int Status, string? ErrorCode, long? VoteId, string? TransportError);

    /// <param name="spreadMs">
    /// 0: every vote is in flight when the stop begins (they must drain and commit);
    /// otherwise the votes start over that many milliseconds, so some arrive while stopping.
    /// </param>
    [Theory]
    [InlineData(0)]
    [InlineData(600)]
    public async Task AGracefulStopMidVotingLosesNoAcknowledgedVoteAndAnswersNoInternalErrors(int spreadMs)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        Outcome[] outcomes;
        long episodeId;
        IReadOnlyList<SignedIn> voters;
        await using (var server = await VotingTestServer.StartAsync(kind, database: db))
        {
            var api = server.Api;
            var episode = await api.OpenEpisodeAsync(contestants: 4);
            episodeId = episode.EpisodeId;
            voters = await Task.WhenAll(Enumerable.Range(0, Voters).Select(_ => api.SignInAsync()));
            foreach (var v in voters) await api.CreditAsync(v.UserId, CreditPerVoter);

            var acknowledgedSoFar = 0;
            var enoughAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var inFlight = Enumerable.Range(0, Votes).Select(async i =>
            {
                await Task.Delay(spreadMs * i / Votes);
                var outcome = await TryVoteAsync(api, voters[i % Voters].Token, episode.Contestants[i % 4]);
                if (outcome.Status == 200 && Interlocked.Increment(ref acknowledgedSoFar) >= Votes / 5) enoughAcknowledged.TrySetResult();
                return outcome;
            }).ToList();
            await enoughAcknowledged.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await server.StopAsync();
            outcomes = await Task.WhenAll(inFlight);
        }

        output.WriteLine(string.Join(", ", outcomes.GroupBy(o => o.TransportError is null ? $"{o.Status} {o.ErrorCode}" : "transport error")
            .Select(g => $"{g.Key}: {g.Count()}")));
        foreach (var error in outcomes.Select(o => o.TransportError).OfType<string>().Distinct()) output.WriteLine(error);
        Assert.All(outcomes, o => Assert.True(
            o.Status == 200 || (o.Status == 503 && o.ErrorCode == "UNAVAILABLE") || o.TransportError is not null,
            $"unexpected answer {o.Status} {o.ErrorCode}"));
        var acknowledged = outcomes.Where(o => o.Status == 200).Select(o => o.VoteId!.Value).ToList();
        Assert.Equal(acknowledged.Count, acknowledged.Distinct().Count());
        var committed = await db.VoteIdsAsync();
        output.WriteLine($"acknowledged {acknowledged.Count}, committed {committed.Count}");
        Assert.All(acknowledged, id => Assert.Contains(id, committed));

        await using var restarted = await VotingTestServer.StartAsync(kind, database: db);
        var audit = await restarted.Api.AuditAsync(episodeId);
        Assert.True(audit.GetProperty("consistent").GetBoolean());
        Assert.True(audit.GetProperty("voter_counters_consistent").GetBoolean());
        Assert.Equal(committed.Count, audit.GetProperty("vote_rows").GetInt64());
        Assert.Equal(committed.Count, audit.GetProperty("ledger_votes").GetInt64());
        long spent = 0;
        foreach (var v in voters)
        {
            var balance = await restarted.Api.GetAsync("/api/v1/xfactor/voting/vote_balance", v.Token);
            Assert.Equal(HttpStatusCode.OK, balance.Status);
            spent += CreditPerVoter - balance.Data.GetProperty("balance").GetInt64();
        }
        Assert.Equal(committed.Count, spent);
    }

    private static async Task<Outcome> TryVoteAsync(ApiDriver api, string token, long contestant)
    {
        try
        {
            var a = await api.VoteAsync(token, contestant, "paid");
            return new Outcome(a.Code, a.ErrorCode, a.Code == 200 ? a.Data.GetProperty("vote_id").GetInt64() : null, null);
        }
        catch (HttpRequestException e)
        {
            // Connection refused or reset once the server has stopped listening.
            return new Outcome(0, null, null, $"{e.HttpRequestError}: {e.InnerException?.Message ?? e.Message}");
        }
    }
}

public sealed class SqliteShutdownTests(ITestOutputHelper output) : ShutdownTests(StoreKind.Sqlite, output);

public sealed class PostgresShutdownTests(ITestOutputHelper output) : ShutdownTests(StoreKind.Postgres, output);
