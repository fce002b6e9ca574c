using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Voting.LoadTest.Watchers;

/// <summary>Prints a <c>watchers</c> run as a table and as Markdown lines, and writes it as JSON.</summary>
internal static class WatchReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static void Print(WatchResult r)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("watchers load test")
            .AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        foreach (var (name, value) in Figures(r)) table.AddRow(Markup.Escape(name), Markup.Escape(value));
        AnsiConsole.Write(table);
        Console.WriteLine();
        Console.Write(Markdown(r));
    }

    public static string Markdown(WatchResult r)
    {
        var md = new StringBuilder();
        md.Append(C, $"watchers load test against {string.Join(", ", r.Urls)}: {r.Watchers} watchers in {r.Processes} process(es), ");
        md.Append(C, $"{r.VotesPerSecondTarget} votes/s target, {r.MeasuredSeconds} s measured after {r.WarmupSeconds} s warm-up");
        md.AppendLine(r.StoppedEarly ? " (stopped early)" : "");
        md.AppendLine();
        md.AppendLine("| watchers held | votes/s | messages/s | LIVE_RESULTS/s per watcher | commit→receipt p50 ms | p99 ms | max ms | sent→receipt p50 ms | p99 ms | server RSS MB (idle / connected / peak) |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        md.Append(C, $"| {r.HeldAtEnd} | {(r.Votes is { } v ? v.CommittedVotesPerSecond : 0):F0} | {r.MessagesPerSecond:F0} | {r.LiveResultsPerWatcherPerSecond:F2} |");
        md.Append(C, $" {Ms(r.CommitToReceipt.ValueAtPercentile(50))} | {Ms(r.CommitToReceipt.ValueAtPercentile(99))} | {Ms(r.CommitToReceipt.MaxMicrosSeen)} |");
        md.Append(C, $" {Ms(r.SendToReceipt.ValueAtPercentile(50))} | {Ms(r.SendToReceipt.ValueAtPercentile(99))} |");
        md.AppendLine(C, $" {Mb(r.Memory.Idle)} / {Mb(r.Memory.Connected)} / {Mb(r.Memory.Peak)} |");
        md.AppendLine();
        md.Append(C, $"connected {r.Connected}, connect failures {r.ConnectFailed}, dropped by the server {r.Dropped}, ");
        md.Append(C, $"seq regressions {r.SeqRegressions}, ramp-up {r.RampSeconds:F1} s");
        if (r.KilobytesPerWatcher is { } kb) md.Append(C, $", server memory per watcher {kb:F1} KB");
        md.AppendLine();
        if (r.Nodes.Count > 1) NodesMarkdown(md, r);
        if (r.Votes is { } votes)
        {
            md.Append(C, $"votes: {votes.CommittedVotes} committed, p50 {Ms(votes.Committed.ValueAtPercentile(50))} ms, ");
            md.AppendLine(C, $"p99 {Ms(votes.Committed.ValueAtPercentile(99))} ms, refused {votes.Refusals.Sum(x => x.Count)}, transport errors {votes.TransportErrorCount}");
        }
        return md.ToString();
    }

    /// <summary>Several servers: each one's share, and its memory per watcher (server RSS summed in the line above).</summary>
    private static void NodesMarkdown(StringBuilder md, WatchResult r)
    {
        md.AppendLine();
        md.AppendLine("| node | watchers held / dropped | votes/s committed | commit→receipt p50 ms | p99 ms | max ms | server RSS MB (idle / connected / peak) | KB per watcher |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---|---:|");
        foreach (var n in r.Nodes)
        {
            md.Append(C, $"| {n.Url} | {n.HeldAtEnd} / {n.Dropped} | {(n.CommittedVotes is { } c ? (c / (double)r.MeasuredSeconds).ToString("F0", C) : "n/a")} |");
            md.Append(C, $" {Ms(n.CommitToReceipt.ValueAtPercentile(50))} | {Ms(n.CommitToReceipt.ValueAtPercentile(99))} | {Ms(n.CommitToReceipt.MaxMicrosSeen)} |");
            md.AppendLine(C, $" {Mb(n.Memory.Idle)} / {Mb(n.Memory.Connected)} / {Mb(n.Memory.Peak)} | {(n.KilobytesPerWatcher is { } kb ? kb.ToString("F1", C) : "n/a")} |");
        }
        md.AppendLine();
    }

    public static async Task WriteJsonAsync(WatchResult r, string path, CancellationToken ct)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, ToDocument(r), WatchReportJson.Default.WatchReportDocument, ct);
    }

    public static string Mb(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("F0", C) : "n/a";

    private static IEnumerable<(string, string)> Figures(WatchResult r)
    {
        yield return (r.Urls.Count == 1 ? "url" : "urls", string.Join(", ", r.Urls));
        yield return ("watchers requested", $"{r.Watchers:N0} in {r.Processes} process(es), {r.ProcessesReported} reported");
        yield return ("connected / failed", $"{r.Connected:N0} / {r.ConnectFailed:N0} (ramp-up {r.RampSeconds:F1} s)");
        yield return ("held at the end", $"{r.HeldAtEnd:N0}");
        yield return ("dropped by the server", $"{r.Dropped:N0}");
        foreach (var (kind, count) in r.ConnectErrors) yield return ($"connect error {kind}", $"{count:N0}");
        yield return ("measured", $"{r.MeasuredSeconds} s after {r.WarmupSeconds} s warm-up" + (r.StoppedEarly ? " (stopped early)" : ""));
        if (r.Votes is { } v)
        {
            yield return ("votes/s (target / committed)", $"{r.VotesPerSecondTarget:N0} / {v.CommittedVotesPerSecond:N0}");
            yield return ("vote latency p50 / p99", $"{Ms(v.Committed.ValueAtPercentile(50))} / {Ms(v.Committed.ValueAtPercentile(99))} ms");
            yield return ("votes refused / transport errors", $"{v.Refusals.Sum(x => x.Count):N0} / {v.TransportErrorCount:N0}");
        }
        yield return ("messages/s (all watchers)", $"{r.MessagesPerSecond:N0} ({r.MegabytesPerSecond:F1} MB/s)");
        yield return ("LIVE_RESULTS/s per watcher", r.LiveResultsPerWatcherPerSecond.ToString("F2", C));
        foreach (var p in new[] { 50.0, 90, 99, 99.9 })
            yield return ($"commit→receipt p{p.ToString(C)}", $"{Ms(r.CommitToReceipt.ValueAtPercentile(p))} ms");
        yield return ("commit→receipt max", $"{Ms(r.CommitToReceipt.MaxMicrosSeen)} ms ({r.CommitToReceipt.Count:N0} deliveries)");
        yield return ("sent→receipt p50 / p99 / max",
            $"{Ms(r.SendToReceipt.ValueAtPercentile(50))} / {Ms(r.SendToReceipt.ValueAtPercentile(99))} / {Ms(r.SendToReceipt.MaxMicrosSeen)} ms");
        yield return ("seq regressions", $"{r.SeqRegressions:N0}");
        if (r.Nodes.Count == 1)
        {
            yield return ("server pid", r.Memory.Pid?.ToString(C) ?? "not found");
            yield return ("server RSS idle / connected / peak / end", $"{Mb(r.Memory.Idle)} / {Mb(r.Memory.Connected)} / {Mb(r.Memory.Peak)} / {Mb(r.Memory.End)} MB");
            if (r.KilobytesPerWatcher is { } kb) yield return ("server memory per watcher", $"{kb:F1} KB");
            yield break;
        }
        foreach (var n in r.Nodes)
        {
            yield return ($"{n.Url} (pid {n.Memory.Pid?.ToString(C) ?? "not found"})",
                $"{n.HeldAtEnd:N0} held, {n.Dropped:N0} dropped, commit→receipt p99 {Ms(n.CommitToReceipt.ValueAtPercentile(99))} ms");
            yield return ($"  RSS idle / connected / peak / end",
                $"{Mb(n.Memory.Idle)} / {Mb(n.Memory.Connected)} / {Mb(n.Memory.Peak)} / {Mb(n.Memory.End)} MB"
                + (n.KilobytesPerWatcher is { } nkb ? $", {nkb:F1} KB per watcher" : ""));
        }
        yield return ("servers' RSS summed idle / connected / peaks", $"{Mb(r.Memory.Idle)} / {Mb(r.Memory.Connected)} / {Mb(r.Memory.Peak)} MB");
        if (r.KilobytesPerWatcher is { } all) yield return ("server memory per watcher (all servers)", $"{all:F1} KB");
    }

    private static WatchReportDocument ToDocument(WatchResult r) => new(
        r.Url.ToString(), r.Watchers, r.Processes, r.ProcessesReported, r.VotesPerSecondTarget, r.WarmupSeconds, r.MeasuredSeconds,
        Math.Round(r.RampSeconds, 2), r.StoppedEarly, r.Connected, r.ConnectFailed, r.Dropped, r.HeldAtEnd,
        r.Messages, Math.Round(r.MessagesPerSecond, 1), r.LiveResults, Math.Round(r.LiveResultsPerWatcherPerSecond, 3), r.Bytes,
        r.SeqRegressions, Delays(r.CommitToReceipt), Delays(r.SendToReceipt), r.ConnectErrors,
        Memory(r.Memory, r.KilobytesPerWatcher),
        r.Votes is { } v
            ? new VotesDocument(Math.Round(v.CommittedVotesPerSecond, 1), v.CommittedVotes, Ms(v.Committed.ValueAtPercentile(50)),
                Ms(v.Committed.ValueAtPercentile(99)), v.Refusals.Sum(x => x.Count), v.TransportErrorCount)
            : null,
        [.. r.Nodes.Select(n => new NodeDocument(n.Url.ToString(), n.Watchers, n.Processes, n.ProcessesReported, n.Connected, n.Dropped, n.HeldAtEnd,
            Delays(n.CommitToReceipt), Memory(n.Memory, n.KilobytesPerWatcher),
            n.CommittedVotes is { } c ? Math.Round(c / (double)r.MeasuredSeconds, 1) : null))]);

    private static MemoryDocument Memory(MemoryFigures m, double? kbPerWatcher) =>
        new(m.Pid, MbValue(m.Idle), MbValue(m.Connected), MbValue(m.Peak), MbValue(m.End), kbPerWatcher is { } kb ? Math.Round(kb, 2) : null);

    private static DelayDocument Delays(LatencyHistogram h) => new(h.Count, Ms(h.ValueAtPercentile(50)), Ms(h.ValueAtPercentile(90)),
        Ms(h.ValueAtPercentile(99)), Ms(h.ValueAtPercentile(99.9)), Ms(h.MaxMicrosSeen), Ms((long)h.MeanMicros));

    private static double? MbValue(long? bytes) => bytes is { } b ? Math.Round(b / 1048576.0, 1) : null;

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 2);
}

internal sealed record DelayDocument(long Count, double P50Ms, double P90Ms, double P99Ms, double P999Ms, double MaxMs, double MeanMs);

internal sealed record MemoryDocument(int? ServerPid, double? IdleMb, double? ConnectedMb, double? PeakMb, double? EndMb, double? KbPerWatcher);

internal sealed record VotesDocument(double CommittedVotesPerSecond, long CommittedVotes, double P50Ms, double P99Ms, long Refused, long TransportErrors);

/// <summary>One server's share; <c>committed_votes_per_second</c> is null without votes.</summary>
internal sealed record NodeDocument(
    string Url, int Watchers, int Processes, int ProcessesReported, int Connected, int Dropped, int HeldAtEnd,
    DelayDocument CommitToReceipt, MemoryDocument ServerMemory, double? CommittedVotesPerSecond);

internal sealed record WatchReportDocument(
    string Url, int Watchers, int Processes, int ProcessesReported, int VotesPerSecondTarget, int WarmupSeconds, int MeasuredSeconds,
    double RampSeconds, bool StoppedEarly, int Connected, int ConnectFailed, int Dropped, int HeldAtEnd,
    long Messages, double MessagesPerSecond, long LiveResults, double LiveResultsPerWatcherPerSecond, long Bytes,
    long SeqRegressions, DelayDocument CommitToReceipt, DelayDocument SentToReceipt, IReadOnlyDictionary<string, long> ConnectErrors,
    MemoryDocument ServerMemory, VotesDocument? Votes, IReadOnlyList<NodeDocument> Nodes);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(WatchReportDocument))]
internal sealed partial class WatchReportJson : JsonSerializerContext;
