using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace Voting.LoadTest;

/// <summary>Prints the figures as a table and as Markdown lines, and writes them as JSON.</summary>
internal static class Report
{
    private static readonly (string Name, double Percentile)[] Percentiles =
        [("p50", 50), ("p90", 90), ("p99", 99), ("p99.9", 99.9)];

    public static void Print(LoadResult r)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"{r.Command} load test")
            .AddColumn("figure").AddColumn(new TableColumn("value").RightAligned());
        foreach (var (name, value) in Figures(r)) table.AddRow(Markup.Escape(name), Markup.Escape(value));
        AnsiConsole.Write(table);
        Console.WriteLine();
        Console.Write(Markdown(r));
    }

    public static string Markdown(LoadResult r)
    {
        var c = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append(c, $"{r.Command} load test against {r.Url}: {r.Connections} connections, {r.Voters} voters, ");
        md.Append(c, $"vote_count {r.VoteCount}, {Seconds(r.MeasuredSeconds)} s measured after {r.WarmupSeconds} s warm-up");
        md.AppendLine((r.Idempotency ? ", Idempotency-Key on every request" : "") + (r.StoppedEarly ? " (stopped early)" : ""));
        md.AppendLine();
        md.AppendLine("| connections | duration s | committed votes | committed votes/s | requests/s | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |");
        md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        md.Append(c, $"| {r.Connections} | {Seconds(r.MeasuredSeconds)} | {r.CommittedVotes} | {r.CommittedVotesPerSecond:F0} | {r.RequestsPerSecond:F0} |");
        foreach (var (_, p) in Percentiles) md.Append(c, $" {Millis(r.Committed.ValueAtPercentile(p))} |");
        md.AppendLine(c, $" {Millis(r.Committed.MaxMicrosSeen)} |");
        md.AppendLine();
        md.AppendLine("| refused: status | error_code | count |");
        md.AppendLine("|---:|---|---:|");
        foreach (var refusal in r.Refusals) md.AppendLine(c, $"| {refusal.Status} | {refusal.ErrorCode} | {refusal.Count} |");
        foreach (var (kind, count) in r.TransportErrors) md.AppendLine(c, $"| transport | {kind} | {count} |");
        if (r.Refusals.Count == 0 && r.TransportErrors.Count == 0) md.AppendLine("| - | none | 0 |");
        md.AppendLine();
        md.AppendLine(c, $"transport errors: {r.TransportErrorCount}");
        return md.ToString();
    }

    public static async Task WriteJsonAsync(LoadResult r, string path, CancellationToken ct)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, ToDocument(r), LoadTestJson.Default.ReportDocument, ct);
    }

    private static IEnumerable<(string, string)> Figures(LoadResult r)
    {
        yield return ("url", r.Url.ToString());
        yield return ("connections", $"{r.Connections:N0}");
        yield return ("voters", $"{r.Voters:N0}");
        yield return ("vote_count per request", $"{r.VoteCount}");
        yield return ("warm-up (excluded)", $"{r.WarmupSeconds} s");
        yield return ("measured", $"{Seconds(r.MeasuredSeconds)} s" + (r.StoppedEarly ? " (stopped early)" : ""));
        yield return ("committed votes (200 answers)", $"{r.CommittedVotes:N0}");
        yield return ("committed votes/s", $"{r.CommittedVotesPerSecond:N0}");
        yield return ("requests", $"{r.Requests:N0}");
        yield return ("requests/s", $"{r.RequestsPerSecond:N0}");
        yield return ("requests per voter per minute", $"{r.RequestsPerVoterPerMinute:N1}");
        foreach (var (name, p) in Percentiles)
            yield return ($"latency {name} (200)", $"{Millis(r.Committed.ValueAtPercentile(p))} ms");
        yield return ("latency max (200)", $"{Millis(r.Committed.MaxMicrosSeen)} ms");
        yield return ("latency p99 (all answers)", $"{Millis(r.Answered.ValueAtPercentile(99))} ms");
        foreach (var refusal in r.Refusals) yield return ($"refused {refusal.Status} {refusal.ErrorCode}", $"{refusal.Count:N0}");
        foreach (var (kind, count) in r.TransportErrors) yield return ($"transport error {kind}", $"{count:N0}");
        yield return ("transport errors", $"{r.TransportErrorCount:N0}");
    }

    private static ReportDocument ToDocument(LoadResult r) => new(
        r.Url.ToString(), r.Connections, r.Voters, r.VoteCount, r.Idempotency, r.WarmupSeconds, r.PlannedSeconds,
        Math.Round(r.MeasuredSeconds, 3), r.StoppedEarly, r.Requests, r.Committed.Count, r.CommittedVotes,
        Math.Round(r.CommittedVotesPerSecond, 1), Math.Round(r.RequestsPerSecond, 1),
        Math.Round(r.RequestsPerVoterPerMinute, 2),
        r.WarmupRequestsPerSecond is { } w ? Math.Round(w, 1) : null,
        new LatencyDocument(
            Ms(r.Committed.ValueAtPercentile(50)), Ms(r.Committed.ValueAtPercentile(90)), Ms(r.Committed.ValueAtPercentile(99)),
            Ms(r.Committed.ValueAtPercentile(99.9)), Ms(r.Committed.MaxMicrosSeen), Ms((long)r.Committed.MeanMicros)),
        [.. r.Refusals.Select(x => new RefusalDocument(x.Status, x.ErrorCode, x.Count))],
        r.TransportErrors.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
        r.Warnings);

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 3);

    private static string Millis(long micros) => (micros / 1000.0).ToString("F2", CultureInfo.InvariantCulture);

    private static string Seconds(double seconds) => seconds.ToString("F1", CultureInfo.InvariantCulture);
}

internal sealed record ReportDocument(
    string Url, int Connections, int Voters, int VoteCount, bool Idempotency, int WarmupSeconds, int PlannedSeconds,
    double MeasuredSeconds, bool StoppedEarly, long Requests, long CommittedRequests, long CommittedVotes,
    double CommittedVotesPerSecond, double RequestsPerSecond, double RequestsPerVoterPerMinute,
    double? WarmupRequestsPerSecond, LatencyDocument LatencyMs, IReadOnlyList<RefusalDocument> Refusals,
    IReadOnlyDictionary<string, long> TransportErrors, IReadOnlyList<string> Warnings);

internal sealed record LatencyDocument(double P50, double P90, double P99, double P999, double Max, double Mean);

internal sealed record RefusalDocument(int Status, string ErrorCode, long Count);
