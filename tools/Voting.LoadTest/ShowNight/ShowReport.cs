using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Voting.LoadTest.ShowNight;

/// <summary>The show-night report as Markdown and as JSON, from the figures and the checks.</summary>
internal static class ShowReport
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static string Markdown(ShowNightFigures f, IReadOnlyList<Check> checks)
    {
        var md = new StringBuilder();
        var passed = checks.Count(x => x.Passed);
        md.AppendLine(C, $"# Show night: {passed} of {checks.Count} checks passed");
        md.AppendLine();
        md.AppendLine(C, $"{f.Url}, episode {f.EpisodeId}, started {f.StartedAt}, seed {f.Seed}; setup {f.SetupSeconds:F1} s, show {f.ShowSeconds:F1} s, voting window {f.WindowSeconds} s.");
        md.AppendLine(C, $"Viewers: {f.ViewersPlanned} planned, {f.ViewersSignedIn} signed in to the app, {f.SmsNumbers} texting by SMS.");
        md.AppendLine();
        md.AppendLine("| vote type | requests | acknowledged | votes acknowledged | no answer (votes) | p50 ms | p95 ms | p99 ms | max ms |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var k in f.Kinds)
        {
            md.AppendLine(C, $"| {k.Kind} | {k.Requests} | {k.AcknowledgedRequests} | {k.AcknowledgedVotes} | {k.UnknownVotes} | "
                + $"{Ms(k.Latency.ValueAtPercentile(50))} | {Ms(k.Latency.ValueAtPercentile(95))} | {Ms(k.Latency.ValueAtPercentile(99))} | {Ms(k.Latency.MaxMicrosSeen)} |");
        }
        md.AppendLine(C, $"| all | {f.Kinds.Sum(k => k.Requests)} | {f.Kinds.Sum(k => k.AcknowledgedRequests)} | {f.AcknowledgedVotes} | {f.UnknownVotes} | | | | |");
        md.AppendLine();
        md.AppendLine("| refused: vote type | status and code | requests |");
        md.AppendLine("|---|---|---:|");
        var any = false;
        foreach (var k in f.Kinds)
        {
            foreach (var (code, n) in k.Refused.OrderByDescending(r => r.Value))
            {
                md.AppendLine(C, $"| {k.Kind} | {code} | {n} |");
                any = true;
            }
        }
        if (!any) md.AppendLine("| - | none | 0 |");
        md.AppendLine();
        var s = f.Server;
        md.AppendLine(C, $"Server: show state {s.FinalState}, audit ledger_votes {s.LedgerVotes}, tally_votes {s.TallyVotes}, consistent {(s.AuditConsistent ? "true" : "false")}, digest `{s.AuditDigest}`; "
            + $"results total {s.ResultsTotalVotes}; SMS view {s.SmsMessages} messages, {s.SmsReplies} replies in the outbox.");
        var w = f.Watchers;
        md.AppendLine(C, $"Watchers: {w.Connected} of {w.Requested} connected, {w.Dropped} dropped, {w.Messages} messages; commit→receipt "
            + $"p50 {Ms(w.CommitToReceipt.ValueAtPercentile(50))} ms, p95 {Ms(w.CommitToReceipt.ValueAtPercentile(95))} ms, p99 {Ms(w.CommitToReceipt.ValueAtPercentile(99))} ms ({w.CommitToReceipt.Count} receipts).");
        md.AppendLine();
        md.AppendLine("| check | result | detail |");
        md.AppendLine("|---|---|---|");
        foreach (var x in checks) md.AppendLine(C, $"| {x.Name} | {(x.Passed ? "passed" : "FAILED")} | {x.Detail.Replace("|", "/", StringComparison.Ordinal)} |");
        return md.ToString();
    }

    public static string Json(ShowNightFigures f, IReadOnlyList<Check> checks)
    {
        var s = f.Server;
        var w = f.Watchers;
        var doc = new JsonObject
        {
            ["url"] = f.Url,
            ["episode_id"] = f.EpisodeId,
            ["started_at"] = f.StartedAt,
            ["seed"] = f.Seed,
            ["window_seconds"] = f.WindowSeconds,
            ["setup_seconds"] = Math.Round(f.SetupSeconds, 2),
            ["show_seconds"] = Math.Round(f.ShowSeconds, 2),
            ["viewers"] = new JsonObject { ["planned"] = f.ViewersPlanned, ["signed_in"] = f.ViewersSignedIn, ["sms_numbers"] = f.SmsNumbers },
            ["votes"] = new JsonObject(f.Kinds.Select(k => KeyValuePair.Create(k.Kind, (JsonNode?)new JsonObject
            {
                ["requests"] = k.Requests,
                ["acknowledged_requests"] = k.AcknowledgedRequests,
                ["acknowledged_votes"] = k.AcknowledgedVotes,
                ["unanswered_votes"] = k.UnknownVotes,
                ["refused"] = new JsonObject(k.Refused.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))),
                ["latency_ms"] = Latency(k.Latency),
            }))),
            ["acknowledged_votes"] = f.AcknowledgedVotes,
            ["signals"] = new JsonArray([.. f.Signals.Select(x => (JsonNode?)new JsonObject { ["event"] = x.Event, ["status"] = x.Status, ["error_code"] = x.ErrorCode })]),
            ["watchers"] = new JsonObject
            {
                ["requested"] = w.Requested,
                ["connected"] = w.Connected,
                ["dropped"] = w.Dropped,
                ["saw_voting_open"] = w.SawVotingOpen,
                ["saw_voting_closed"] = w.SawVotingClosed,
                ["saw_results_ready"] = w.SawResultsReady,
                ["saw_live_results"] = w.SawLiveResults,
                ["messages"] = w.Messages,
                ["commit_to_receipt_ms"] = Latency(w.CommitToReceipt),
                ["connect_errors"] = new JsonObject(w.ConnectErrors.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
            },
            ["server"] = new JsonObject
            {
                ["final_state"] = s.FinalState,
                ["ledger_votes"] = s.LedgerVotes,
                ["tally_votes"] = s.TallyVotes,
                ["audit_consistent"] = s.AuditConsistent,
                ["audit_digest"] = s.AuditDigest,
                ["results_total_votes"] = s.ResultsTotalVotes,
                ["results_by_type"] = new JsonObject(s.ResultsByType.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))),
                ["history_viewers_checked"] = s.HistoryViewersChecked,
                ["history_ids_checked"] = s.HistoryIdsChecked,
                ["sms_messages"] = s.SmsMessages,
                ["sms_replies"] = s.SmsReplies,
            },
            ["checks"] = new JsonArray([.. checks.Select(x => (JsonNode?)new JsonObject { ["name"] = x.Name, ["passed"] = x.Passed, ["detail"] = x.Detail })]),
            ["passed"] = checks.All(x => x.Passed),
        };
        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static JsonObject Latency(LatencyHistogram h) => new()
    {
        ["count"] = h.Count,
        ["p50"] = Math.Round(h.ValueAtPercentile(50) / 1000.0, 3),
        ["p95"] = Math.Round(h.ValueAtPercentile(95) / 1000.0, 3),
        ["p99"] = Math.Round(h.ValueAtPercentile(99) / 1000.0, 3),
        ["max"] = Math.Round(h.MaxMicrosSeen / 1000.0, 3),
    };

    private static string Ms(long micros) => (micros / 1000.0).ToString("F1", C);
}
