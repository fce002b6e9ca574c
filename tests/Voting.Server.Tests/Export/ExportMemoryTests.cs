using System.Globalization;
using Microsoft.Data.Sqlite;
using Voting.Domain.Export;
using Voting.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Voting.Server.Tests.Export;

/// <summary>
/// The export streams: vote rows written straight into a SQLite ledger, exported by a server process whose
/// managed heap is capped far below the size of the export, while its resident memory is sampled. Set
/// XFACTOR_EXPORT_ROWS=1000000 for BENCHMARKS.md's figures.
/// </summary>
public sealed class ExportMemoryTests(ITestOutputHelper output)
{
    /// <summary>The server's managed heap may not grow past this (DOTNET_GCHeapHardLimit): an export held in memory could not be answered.</summary>
    private const long HeapLimitBytes = 32L << 20;

    [Fact]
    public async Task ExportingAMillionVotesStreamsWithFlatServerMemory()
    {
        var rows = int.TryParse(Environment.GetEnvironmentVariable("XFACTOR_EXPORT_ROWS"), CultureInfo.InvariantCulture, out var n) ? n : 300_000;
        await using var db = await TestDatabase.CreateAsync(StoreKind.Sqlite);
        await using var server = await ServerProcess.StartAsync(db, new Dictionary<string, string>
        {
            ["DOTNET_GCHeapHardLimit"] = "0x" + HeapLimitBytes.ToString("X", CultureInfo.InvariantCulture),
        });
        var e = await server.Api.CreateEpisodeAsync(contestants: 5);
        var warmUp = await ExportAsync(server, e.EpisodeId);
        Assert.Equal(VerifyOutcome.Verified, warmUp.Report.Outcome);
        var inserting = TimeProvider.System.GetTimestamp();
        await InsertVotesAsync(db, e, rows);
        var inserted = TimeProvider.System.GetElapsedTime(inserting);

        var baseline = Resident(server.Id);
        var peak = baseline;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                var now = Resident(server.Id);
                peak = (Math.Max(peak.Rss, now.Rss), Math.Max(peak.Anon, now.Anon));
                await Task.Delay(50, CancellationToken.None);
            }
        });
        var started = TimeProvider.System.GetTimestamp();
        var (report, bytes) = await ExportAsync(server, e.EpisodeId);
        var took = TimeProvider.System.GetElapsedTime(started);
        await done.CancelAsync();
        await sampler;

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{rows:N0} vote rows (inserted in {inserted.TotalSeconds:F1} s); export {bytes / (1 << 20):N0} MB in {took.TotalSeconds:F1} s " +
            $"({rows / took.TotalSeconds:N0} rows/s, verified as it streamed); server RSS before {baseline.Rss} MB, peak during {peak.Rss} MB " +
            $"(+{peak.Rss - baseline.Rss} MB), of which anonymous {baseline.Anon} MB before, peak {peak.Anon} MB (+{peak.Anon - baseline.Anon} MB); " +
            $"managed heap capped at {HeapLimitBytes >> 20} MB"));
        Assert.True(report.Outcome == VerifyOutcome.Verified, string.Join("\n", report.Differences));
        Assert.Equal(rows, report.VoteRows);
        Assert.True(bytes > rows * 150L, $"only {bytes} bytes for {rows} rows");
        // Rows never gathered: an export this much larger than the heap allowed could not have been answered otherwise.
        Assert.True(bytes > 1.5 * HeapLimitBytes, $"only {bytes} bytes: too small to show the heap limit held");
    }

    /// <summary>Downloads the export and verifies it line by line as it arrives (the client keeps no copy either).</summary>
    private static async Task<(VerifyReport Report, long Bytes)> ExportAsync(ServerProcess server, long episode)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/admin/episodes/{episode}/export");
        request.Headers.Add("X-Api-Key", VotingTestServer.AdminKey);
        using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromMinutes(10) };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = new CountingStream(await response.Content.ReadAsStreamAsync());
        using var reader = new StreamReader(body);
        return (ExportVerifier.Verify(reader), body.Bytes);
    }

    /// <summary>Vote rows as the ledger holds them, written in one transaction behind the server (no tallies: the export reads rows).</summary>
    private static async Task InsertVotesAsync(TestDatabase db, TestEpisode e, int rows)
    {
        await using var c = new SqliteConnection(db.ConnectionString);
        await c.OpenAsync();
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync();
        await using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText =
            """
            INSERT INTO votes (voter_id, episode_id, contestant_id, vote_type, vote_count, payment_method, loyalty_points, ip, created_at)
            VALUES ($voter, $episode, $contestant, $type, $count, $method, 2, '127.0.0.1', $at)
            """;
        var (voter, episode, contestant, type, count, method, at) = (cmd.Parameters.Add("$voter", SqliteType.Integer),
            cmd.Parameters.Add("$episode", SqliteType.Integer), cmd.Parameters.Add("$contestant", SqliteType.Integer),
            cmd.Parameters.Add("$type", SqliteType.Text), cmd.Parameters.Add("$count", SqliteType.Integer),
            cmd.Parameters.Add("$method", SqliteType.Text), cmd.Parameters.Add("$at", SqliteType.Integer));
        episode.Value = e.EpisodeId;
        var start = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeMilliseconds();
        var random = new Random(7);
        for (var i = 0; i < rows; i++)
        {
            var paid = i % 4 == 0;
            voter.Value = 1 + random.Next(50_000);
            contestant.Value = e.Contestants[random.Next(e.Contestants.Count)];
            type.Value = paid ? "paid" : "free";
            method.Value = paid ? "wallet" : "free";
            count.Value = paid ? 1 + random.Next(10) : 1;
            at.Value = start + i / 100;
            await cmd.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    /// <summary>Resident memory in MB: all of it, and the anonymous part (heaps; the rest is the SQLite file mapped by mmap_size).</summary>
    private static (long Rss, long Anon) Resident(int pid)
    {
        long Field(string[] lines, string name) => long.Parse(lines.First(l => l.StartsWith(name, StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        var status = File.ReadAllLines($"/proc/{pid}/status");
        return (Field(status, "VmRSS:"), Field(status, "RssAnon:"));
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Bytes { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken));

        private int Counted(int read)
        {
            Bytes += read;
            return read;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Bytes; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
