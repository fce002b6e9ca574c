using System.Net;
using System.Text.Json;
using Voting.Domain.Export;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Export;

/// <summary>The certified export over HTTP, checked by the verifier and by the built Voting.Cli, on both stores.</summary>
public abstract class ExportTests(StoreKind kind)
{
    private static async Task<(HttpResponseMessage Response, string Text)> ExportAsync(HttpClient client, object episode, bool admin = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/admin/episodes/{episode}/export");
        if (admin) request.Headers.Add("X-Api-Key", VotingTestServer.AdminKey);
        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> ExportOkAsync(HttpClient client, long episode)
    {
        var (response, text) = await ExportAsync(client, episode);
        using (response)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
            Assert.Equal(ExportJson.MediaType, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal($"episode-{episode}-export.ndjson", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        }
        return text;
    }

    private static VerifyReport Verify(string text) => ExportVerifier.Verify(new StringReader(text));

    private static List<ExportLine> Parse(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(ExportJson.Parse).ToList();

    private static async Task WaitForStateAsync(ApiDriver api, long episode, string state) =>
        await SmsTestHost.EventuallyAsync(async () =>
            (await api.GetAsync($"/api/v1/xfactor/show/{episode}")).Data.GetProperty("state").GetString() == state, $"{state} of episode {episode}");

    private static string WriteFile(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), "xfactor-tests", $"export-{Guid.NewGuid():N}.ndjson");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// App votes (free, paid, carrier-billed), premium texts from two carriers, a void by voter and a void of a
    /// text, then the close freezes the results. Counted: contestant 1 has 2, contestant 2 has 3 + 3 = 6,
    /// contestant 3 has 1 (the 4 of the voided voter and the voided text out).
    /// </summary>
    [Fact]
    public async Task TheExportOfAFrozenEpisodeVerifiesAndCarriesTheAuditsDigestAndTheAnnouncedResults()
    {
        await using var host = await SmsTestHost.StartAsync(kind);
        var api = host.Api;
        var e = await api.OpenEpisodeAsync();
        var (c1, c2, c3) = (e.Contestants[0], e.Contestants[1], e.Contestants[2]);
        var a = await api.SignInAsync();
        await api.CreditAsync(a.UserId, 10);
        await api.VoteOkAsync(a.Token, c1, "free", 2);
        await api.VoteOkAsync(a.Token, c2, "paid", 3);
        await api.VoteOkAsync(a.Token, c3, "sms", 1);
        var b = await api.SignInAsync();
        await api.VoteOkAsync(b.Token, c3, "free", 4);
        await api.VoteOkAsync(b.Token, c2, "free", 1);
        Assert.True((await host.Sms.TextAsync("smart", SmsDriver.NewPhone("smart"), "VOTE 2 3")).Processed);
        var cellcardPhone = SmsDriver.NewPhone("cellcard");
        Assert.True((await host.Sms.TextAsync("cellcard", cellcardPhone, "VOTE 3")).Processed);
        var text = await host.Database.QueryAsync("SELECT id FROM votes WHERE episode_id = $1 AND transaction_id LIKE 'cellcard:%'", e.EpisodeId);
        var byVoter = await api.PostAsync("/api/v1/admin/votes/void", new { episode_id = e.EpisodeId, reason = "one script", voter_id = b.UserId }, admin: true);
        var byId = await api.PostAsync("/api/v1/admin/votes/void",
            new { episode_id = e.EpisodeId, reason = "a test text", refund = true, vote_ids = new[] { Convert.ToInt64(text.Single()[0]) } }, admin: true);
        Assert.Equal((200, 200), (byVoter.Code, byId.Code));
        Assert.Equal(200, (await api.PostAsync($"/api/v1/admin/episodes/{e.EpisodeId}/voting/close", new { }, admin: true)).Code);
        await WaitForStateAsync(api, e.EpisodeId, "RESULTS_READY");
        var audit = await api.AuditAsync(e.EpisodeId);
        var results = await api.ResultsAsync(e.EpisodeId);

        var export = await ExportOkAsync(host.Server.Client, e.EpisodeId);

        var report = Verify(export);
        Assert.True(report.Outcome == VerifyOutcome.Verified, string.Join("\n", report.Differences));
        var digest = audit.GetProperty("digest").GetString();
        Assert.Equal(digest, report.Digest);
        Assert.Equal(digest, report.Header!.FrozenResults!.Digest);
        Assert.Equal((7L, 3L, 9L), (report.VoteRows, report.VoidRows, report.CountedVotes));
        Assert.Equal(audit.GetProperty("ledger_votes").GetInt64(), report.CountedVotes);
        Assert.Equal(
            results.GetProperty("results").EnumerateArray().Select(r => (r.GetProperty("contestant_id").GetInt64(), r.GetProperty("votes").GetInt64(),
                r.GetProperty("percentage").GetDecimal(), r.GetProperty("rank").GetInt32())),
            report.Results.Select(r => (r.ContestantId, r.Votes, r.Percentage, r.Rank)));
        Assert.Equal([(c2, 6L, 1), (c1, 2L, 2), (c3, 1L, 3)], report.Results.Select(r => (r.ContestantId, r.Votes, r.Rank)));
        var lines = Parse(export);
        Assert.IsType<ExportHeader>(lines[0]);
        Assert.IsType<ExportTrailer>(lines[^1]);
        var votes = lines.OfType<ExportVote>().ToList();
        Assert.Equal(["free", "paid", "sms", "free", "free", "sms", "sms"], votes.Select(v => v.VoteType));
        Assert.Equal(["app", "app", "app", "app", "app", "sms", "sms"], votes.Select(v => v.Source));
        Assert.StartsWith("smart:", votes[5].TransactionId, StringComparison.Ordinal);
        Assert.StartsWith("cellcard:", votes[6].TransactionId, StringComparison.Ordinal);
        Assert.Equal(votes.Select(v => v.Id).Order(), votes.Select(v => v.Id));
        var voids = lines.OfType<ExportVoid>().ToList();
        Assert.Equal(["one script", "one script", "a test text"], voids.Select(v => v.Reason));
        Assert.Equal([false, false, true], voids.Select(v => v.Refunded));

        // The built command, as anyone holding the file runs it.
        var file = WriteFile(export);
        var run = await CliProcess.RunAsync("verify", file);
        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Equal($"verified: 9 votes, 3 voids, digest {digest}", run.Output.Split('\n')[0]);
        var againstAnnounced = await CliProcess.RunAsync("verify", file, "--digest", digest!);
        Assert.Equal(0, againstAnnounced.ExitCode);

        // One vote row changed: a vote of 2 for contestant 1 made 3.
        var firstVote = export.IndexOf("\"vote_count\":2,", StringComparison.Ordinal);
        var tampered = WriteFile(string.Concat(export.AsSpan(0, firstVote), "\"vote_count\":3,", export.AsSpan(firstVote + 15)));
        var changed = await CliProcess.RunAsync("verify", tampered);
        Assert.Equal(1, changed.ExitCode);
        Assert.StartsWith("NOT VERIFIED:", changed.Output, StringComparison.Ordinal);
        Assert.Contains($"trailer: digest is {digest}, the rows give ", changed.Output, StringComparison.Ordinal);
        Assert.Contains($"frozen results: contestant {c1} has 2 votes, 22.22 %, rank 2 (ballot 1); the rows give 3 votes, 30.00 %, rank 2 (ballot 1)",
            changed.Output, StringComparison.Ordinal);
        Assert.Contains("trailer: total_votes is 9, the rows give 10", changed.Output, StringComparison.Ordinal);

        var missing = await CliProcess.RunAsync("verify", file + ".missing");
        var usage = await CliProcess.RunAsync("verify");
        Assert.Equal((2, 2), (missing.ExitCode, usage.ExitCode));
        Assert.Contains("cannot read", missing.Error, StringComparison.Ordinal);
        Assert.StartsWith("usage:", usage.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATamperedTrailerOrTamperedFrozenResultsFailVerification()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var e = await api.OpenEpisodeAsync(contestants: 2);
        var voter = await api.SignInAsync();
        await api.VoteOkAsync(voter.Token, e.Contestants[0], "free", 3);
        await api.VoteOkAsync(voter.Token, e.Contestants[1], "free", 2);
        await api.PostAsync($"/api/v1/admin/episodes/{e.EpisodeId}/voting/close", new { }, admin: true);
        await WaitForStateAsync(api, e.EpisodeId, "RESULTS_READY");
        var export = await ExportOkAsync(server.Client, e.EpisodeId);
        Assert.Equal(VerifyOutcome.Verified, Verify(export).Outcome);
        var lines = export.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = (ExportHeader)ExportJson.Parse(lines[0]);
        var trailer = (ExportTrailer)ExportJson.Parse(lines[^1]);

        // The runner-up given the win in the trailer, then in the frozen results.
        ExportResult[] swapped = [trailer.Totals[0] with { Votes = 2, Percentage = 40.00m }, trailer.Totals[1] with { Votes = 3, Percentage = 60.00m }];
        var badTrailer = Verify(string.Join('\n', [.. lines[..^1], ExportLineText(trailer with { Totals = swapped })]));
        var badFrozen = Verify(string.Join('\n', [ExportLineText(header with { FrozenResults = header.FrozenResults! with { Results = swapped } }), .. lines[1..]]));

        Assert.Equal(VerifyOutcome.Differences, badTrailer.Outcome);
        Assert.Equal(
            [$"trailer: contestant {e.Contestants[0]} has 2 votes, 40.00 %, rank 1 (ballot 1); the rows give 3 votes, 60.00 %, rank 1 (ballot 1)",
             $"trailer: contestant {e.Contestants[1]} has 3 votes, 60.00 %, rank 2 (ballot 2); the rows give 2 votes, 40.00 %, rank 2 (ballot 2)"],
            badTrailer.Differences);
        Assert.Equal(VerifyOutcome.Differences, badFrozen.Outcome);
        Assert.All(badFrozen.Differences, d => Assert.StartsWith("frozen results: contestant", d, StringComparison.Ordinal));
        Assert.Equal(2, badFrozen.Differences.Count);
    }

    private static string ExportLineText(ExportLine line) => JsonSerializer.Serialize(line, ExportJson.Options);

    [Fact]
    public async Task AnOpenEpisodesExportHasNoFrozenResultsAndOnlyItsOwnRows()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var api = server.Api;
        var first = await api.OpenEpisodeAsync();
        var voter = await api.SignInAsync();
        await api.VoteOkAsync(voter.Token, first.Contestants[0], "free", 2);
        await api.PostAsync($"/api/v1/admin/episodes/{first.EpisodeId}/voting/close", new { }, admin: true);
        await WaitForStateAsync(api, first.EpisodeId, "RESULTS_READY");
        var second = await api.CreateEpisodeAsync(contestants: 2, episodeNumber: 2, seasonId: first.SeasonId);
        await api.OpenAsync(second.EpisodeId);
        await api.VoteOkAsync(voter.Token, second.Contestants[1], "free", 3);

        var open = Verify(await ExportOkAsync(server.Client, second.EpisodeId));
        var closed = Verify(await ExportOkAsync(server.Client, first.EpisodeId));

        Assert.Equal((VerifyOutcome.Verified, VerifyOutcome.Verified), (open.Outcome, closed.Outcome));
        Assert.Null(open.Header!.FrozenResults);
        Assert.Equal("VOTING_OPEN", open.Header.Episode.ShowState);
        Assert.Equal((1L, 3L), (open.VoteRows, open.CountedVotes));
        Assert.Equal((1L, 2L), (closed.VoteRows, closed.CountedVotes));
        Assert.Equal((await api.AuditAsync(second.EpisodeId)).GetProperty("digest").GetString(), open.Digest);
        Assert.Equal([second.Contestants[1], second.Contestants[0]], open.Results.Select(r => r.ContestantId));
    }

    [Fact]
    public async Task AClientThatHangsUpMidExportStopsItWithoutAnErrorAndTheNextExportIsWhole()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var e = await server.Api.CreateEpisodeAsync();
        const int rows = 50_000;
        await server.Database.ExecuteAsync(
            """
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000)
            INSERT INTO votes (voter_id, episode_id, contestant_id, vote_type, vote_count, payment_method, loyalty_points, created_at)
            SELECT 1, $1, $2, 'free', 1, 'free', 2, 1795000000000 + i FROM n
            """, e.EpisodeId, e.Contestants[0]);

        using (var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/admin/episodes/{e.EpisodeId}/export"))
        {
            request.Headers.Add("X-Api-Key", VotingTestServer.AdminKey);
            using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.IsType<ExportHeader>(ExportJson.Parse((await reader.ReadLineAsync())!));
        }

        var whole = Verify(await ExportOkAsync(server.Client, e.EpisodeId));
        Assert.Equal((VerifyOutcome.Verified, (long)rows), (whole.Outcome, whole.VoteRows));
        await Task.Delay(500);
        Assert.Empty(server.Errors.Entries);
    }

    [Fact]
    public async Task AnUnknownEpisodeIs404AndTheExportNeedsTheOperatorsKey()
    {
        await using var server = await VotingTestServer.StartAsync(kind);
        var e = await server.Api.CreateEpisodeAsync();

        foreach (var id in new object[] { 999_999, "abc", 0 })
        {
            var (response, text) = await ExportAsync(server.Client, id);
            using (response)
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
                Assert.Null(response.Content.Headers.ContentDisposition);
                Assert.Equal("EPISODE_NOT_FOUND", JsonDocument.Parse(text).RootElement.GetProperty("error_code").GetString());
            }
        }
        var (anonymous, body) = await ExportAsync(server.Client, e.EpisodeId, admin: false);
        using (anonymous)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("UNAUTHORIZED", JsonDocument.Parse(body).RootElement.GetProperty("error_code").GetString());
        }
        // An episode without a vote exports a header and a trailer of nothing.
        var empty = Verify(await ExportOkAsync(server.Client, e.EpisodeId));
        Assert.Equal((VerifyOutcome.Verified, 0L, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (empty.Outcome, empty.VoteRows, empty.Digest));
    }
}

public sealed class SqliteExportTests() : ExportTests(StoreKind.Sqlite);

public sealed class PostgresExportTests() : ExportTests(StoreKind.Postgres);
