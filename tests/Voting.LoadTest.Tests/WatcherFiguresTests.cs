using Voting.LoadTest.Watchers;

namespace Voting.LoadTest.Tests;

/// <summary>Figures that cross process boundaries and the /proc parsing the memory figures come from.</summary>
public sealed class WatcherFiguresTests
{
    [Fact]
    public void AHistogramSurvivesTheTripBetweenProcesses()
    {
        var h = new LatencyHistogram();
        foreach (var micros in new long[] { 5, 5, 900, 12_345, 250_000, 1_800_000 }) h.Record(micros);
        var back = LatencyHistogram.FromData(h.ToData());
        Assert.Equal(h.Count, back.Count);
        Assert.Equal(h.MaxMicrosSeen, back.MaxMicrosSeen);
        Assert.Equal(h.SumMicros, back.SumMicros);
        foreach (var p in new[] { 10.0, 50, 70, 90, 99, 100 }) Assert.Equal(h.ValueAtPercentile(p), back.ValueAtPercentile(p));
    }

    [Fact]
    public void OnlyDeliveriesInsideTheMeasuredWindowAreTimed()
    {
        var stats = new WatcherStats();
        var from = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        stats.Measure(from.ToUnixTimeMilliseconds(), from.AddSeconds(10).ToUnixTimeMilliseconds());
        var message = new PushMessage(true, 1, from.AddMilliseconds(900), from.AddMilliseconds(800));

        stats.RecordMessage(0, message, 100, from.AddSeconds(-1), commitDelay: true);
        stats.RecordMessage(1, message, 100, from.AddSeconds(1), commitDelay: true);
        stats.RecordMessage(2, message, 100, from.AddSeconds(1), commitDelay: false);
        stats.RecordMessage(3, message, 100, from.AddSeconds(11), commitDelay: true);

        var result = stats.ToResult(requested: 4);
        Assert.Equal(4, result.Messages);
        Assert.Equal(2, result.MeasuredMessages);
        Assert.Equal(200, result.MeasuredBytes);
        var commit = LatencyHistogram.FromData(result.CommitToReceipt);
        Assert.Equal(1, commit.Count);
        Assert.Equal(200_000, commit.MaxMicrosSeen);
        var sent = LatencyHistogram.FromData(result.SendToReceipt);
        Assert.Equal(2, sent.Count);
        Assert.Equal(100_000, sent.MaxMicrosSeen);
    }

    [Theory]
    // 127.0.0.1:5000 (0x1388) listening, inode 4242
    [InlineData("   0: 0100007F:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0", 5000, "4242")]
    // the same socket asked about another port
    [InlineData("   0: 0100007F:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0", 5001, null)]
    // an established connection (01) from port 5000 is not the listener
    [InlineData("   1: 0100007F:1388 0200007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 5151 1 0000000000000000 20 4 30 10 -1", 5000, null)]
    // IPv6 any-address listener on 5000
    [InlineData("   0: 00000000000000000000000000000000:1388 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 100 0 0 10 0", 5000, "777")]
    public void TheListeningSocketIsFoundByPort(string line, int port, string? inode) =>
        Assert.Equal(inode, ServerMemory.ListeningInode(line, port));

    [Fact]
    public void ThisProcessMemoryIsReadFromProc()
    {
        var rss = ServerMemory.RssBytes(Environment.ProcessId);
        Assert.NotNull(rss);
        Assert.InRange(rss.Value, 1L << 20, 64L << 30);
    }

    [Fact]
    public void SeveralServersMemoryAddsUpOnlyWhenEveryServersIsKnown()
    {
        const long Mb = 1 << 20;
        var a = new MemoryFigures(1, 100 * Mb, 400 * Mb, 500 * Mb, 450 * Mb);
        var b = new MemoryFigures(2, 120 * Mb, 420 * Mb, 520 * Mb, 470 * Mb);
        var sum = MemoryFigures.Sum([a, b]);
        Assert.Equal(new MemoryFigures(null, 220 * Mb, 820 * Mb, 1020 * Mb, 920 * Mb), sum);
        // (400 - 100) MB over 15,000 watchers.
        Assert.Equal(300 * 1024 / 15_000.0, a.KilobytesPer(15_000));
        Assert.Null(a.KilobytesPer(0));

        var unknown = MemoryFigures.Sum([a, new MemoryFigures(null, null, null, null, null)]);
        Assert.Null(unknown.Idle);
        Assert.Null(unknown.KilobytesPer(100));
    }
}
