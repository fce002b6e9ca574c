using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Voting.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Voting.Server.Tests.Reliability;

/// <summary>
/// A writer whose queue is full refuses at once with 503 UNAVAILABLE and Retry-After, writing
/// nothing for the refused vote; under a flood the server's memory stays bounded.
/// </summary>
public sealed class BackPressureTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AFullWriterQueueAnswers503WithRetryAfterAtOnceAndWritesNothingForIt()
    {
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);
        var settings = CrashCampaign.Settings();
        settings["VoteWriter__QueueCapacity"] = "2";
        settings["VoteWriter__MaxBatch"] = "1";
        await using var server = await ServerProcess.StartAsync(db, settings);
        var episode = await server.Api.OpenEpisodeAsync();
        var voter = await server.Api.SignInAsync();
        await server.Api.CreditAsync(voter.UserId, 100_000);

        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            var key = $"bp-{i}";
            var started = Stopwatch.GetTimestamp();
            var a = await server.Api.VoteAsync(voter.Token, episode.Contestants[i % 3], "paid", key: key);
            return (Key: key, Answer: a, Took: Stopwatch.GetElapsedTime(started));
        }));

        var refused = answers.Where(x => x.Answer.Code == 503).ToList();
        var accepted = answers.Where(x => x.Answer.Code == 200).ToList();
        output.WriteLine($"200: {accepted.Count}, 503: {refused.Count}; slowest 503 {refused.Select(x => x.Took).DefaultIfEmpty().Max().TotalMilliseconds:0} ms, " +
            $"slowest 200 {accepted.Select(x => x.Took).DefaultIfEmpty().Max().TotalMilliseconds:0} ms");
        Assert.Equal(answers.Length, refused.Count + accepted.Count);
        Assert.NotEmpty(refused);
        Assert.NotEmpty(accepted);
        Assert.All(refused, x =>
        {
            Assert.Equal("UNAVAILABLE", x.Answer.ErrorCode);
            Assert.Equal(TimeSpan.FromSeconds(1), x.Answer.Headers.RetryAfter?.Delta);
        });
        // Refused without waiting for the writer: faster than the slowest vote that was queued.
        Assert.True(refused.Min(x => x.Took) < accepted.Max(x => x.Took), "a refusal waited as long as a queued vote");

        var rows = await db.QueryAsync("SELECT idempotency_key FROM votes");
        var committed = rows.Select(r => (string)r[0]!).ToHashSet(StringComparer.Ordinal);
        Assert.All(accepted, x => Assert.Contains(x.Key, committed));
        Assert.All(refused, x => Assert.DoesNotContain(x.Key, committed));
        // The same key sent again once the queue has room is counted.
        var again = await server.Api.VoteAsync(voter.Token, episode.Contestants[0], "paid", key: refused[0].Key);
        Assert.Equal(200, again.Code);
        Assert.True((await server.Api.AuditAsync(episode.EpisodeId)).GetProperty("consistent").GetBoolean());
    }

    /// <summary>Set XFACTOR_FLOOD_SECONDS to flood longer (RELIABILITY.md's figures).</summary>
    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task TheServersMemoryStaysBoundedUnderAFlood(StoreKind kind)
    {
        await using var db = await TestDatabase.CreateAsync(kind);
        var settings = CrashCampaign.Settings();
        settings["VoteWriter__QueueCapacity"] = "1000";
        await using var server = await ServerProcess.StartAsync(db, settings);
        var episode = await server.Api.OpenEpisodeAsync();
        var voters = new SignedIn[50];
        for (var i = 0; i < voters.Length; i++)
        {
            voters[i] = await server.Api.SignInAsync();
            await server.Api.CreditAsync(voters[i].UserId, 1_000_000);
        }
        var baseline = RssMegabytes(server.Id);
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("XFACTOR_FLOOD_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 8;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var answers = new ConcurrentDictionary<int, int>();
        var peak = baseline;
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, RssMegabytes(server.Id));
                await Task.Delay(100, CancellationToken.None);
            }
        });
        await Task.WhenAll(Enumerable.Range(0, 400).Select(async w =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var a = await server.Api.VoteAsync(voters[(w + n) % voters.Length].Token, episode.Contestants[n % 3], "paid");
                answers.AddOrUpdate(a.Code, 1, (_, c) => c + 1);
            }
        }));
        await sampler;
        var total = answers.Values.Sum();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{kind}: {seconds} s flood from 400 connections, {total} requests ({total / seconds}/s), answers {string.Join(", ", answers.Select(a => $"{a.Key}: {a.Value}"))}; " +
            $"RSS baseline {baseline} MB, peak {peak} MB"));

        Assert.All(answers.Keys, code => Assert.True(code is 200 or 503, $"unexpected {code}"));
        Assert.True(peak - baseline < 400, $"RSS grew from {baseline} MB to {peak} MB under the flood");
        Assert.True((await server.Api.AuditAsync(episode.EpisodeId)).GetProperty("consistent").GetBoolean());
    }

    private static long RssMegabytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
