using System.Globalization;

namespace Voting.LoadTest.ShowNight;

/// <summary>The end-of-show checks, over figures alone (no I/O): each can fail, and each says why.</summary>
internal static class ShowChecks
{
    public static IReadOnlyList<Check> Evaluate(ShowNightFigures f)
    {
        var s = f.Server;
        var w = f.Watchers;
        var c = CultureInfo.InvariantCulture;
        var acked = f.AcknowledgedVotes;
        var unknown = f.UnknownVotes;
        var checks = new List<Check>
        {
            new("signals_applied", f.Signals.Count > 0 && f.Signals.All(x => x.Status == 200),
                string.Join(", ", f.Signals.Select(x => x.Status == 200 ? x.Event : $"{x.Event} {x.Status} {x.ErrorCode}"))),
            new("votes_acknowledged", acked > 0, string.Create(c, $"{acked} votes acknowledged")),
            new("audit_consistent", s.AuditConsistent && s.VoterCountersConsistent,
                string.Create(c, $"consistent {(s.AuditConsistent ? "true" : "false")}, voter counters consistent {(s.VoterCountersConsistent ? "true" : "false")}, ledger {s.LedgerVotes}, tallies {s.TallyVotes}")),
            // A request without an answer may have counted: the ledger may then hold up to its votes more, never fewer.
            new("ledger_equals_acknowledged", s.LedgerVotes >= acked && s.LedgerVotes <= acked + unknown,
                unknown == 0
                    ? string.Create(c, $"ledger_votes {s.LedgerVotes}, acknowledged {acked}")
                    : string.Create(c, $"ledger_votes {s.LedgerVotes}, acknowledged {acked}, up to {unknown} more unanswered")),
            new("results_by_type_equal_acknowledged", ByTypeHolds(f, out var byType), byType),
            new("acknowledged_ids_in_history", s.HistoryViewersChecked > 0 && s.HistoryIdsMissing == 0 && s.HistoryExtraRows == 0,
                string.Create(c, $"{s.HistoryViewersChecked} viewers, {s.HistoryIdsChecked} vote ids checked, {s.HistoryIdsMissing} missing, {s.HistoryExtraRows} rows not acknowledged")),
            new("results_frozen", s.FinalState is "RESULTS_READY" or "SHOW_ENDED",
                $"show state {s.FinalState ?? "(unknown)"}"),
            new("frozen_digest_equals_audit", s.AuditDigest is not null && w.FrozenDigests.Count == 1 && w.FrozenDigests[0] == s.AuditDigest
                    && w.FrozenVoteCounts.Count == 1 && w.FrozenVoteCounts[0] == s.LedgerVotes,
                string.Create(c, $"RESULTS_READY digests [{string.Join(", ", w.FrozenDigests.Select(Short))}] votes [{string.Join(", ", w.FrozenVoteCounts)}], audit {Short(s.AuditDigest)} votes {s.LedgerVotes}")),
        };
        if (w.Requested > 0)
        {
            checks.Add(new("watchers_connected_and_kept", w.Connected == w.Requested && w.Dropped == 0,
                string.Create(c, $"{w.Connected} of {w.Requested} connected, {w.Dropped} dropped")));
            checks.Add(new("watchers_saw_open_and_close", w.Connected > 0 && w.SawVotingOpen == w.Connected && w.SawVotingClosed == w.Connected && w.SawResultsReady == w.Connected,
                string.Create(c, $"of {w.Connected}: VOTING_OPEN {w.SawVotingOpen}, VOTING_CLOSED {w.SawVotingClosed}, RESULTS_READY {w.SawResultsReady}")));
            checks.Add(new("watchers_saw_live_results", w.Connected > 0 && w.SawLiveResults == w.Connected,
                string.Create(c, $"{w.SawLiveResults} of {w.Connected} saw LIVE_RESULTS with votes")));
        }
        var sms = f.Kinds.FirstOrDefault(k => k.Kind == "sms");
        if (sms is { Requests: > 0 })
        {
            var answered = sms.Requests - sms.Refused.Where(r => !r.Key.StartsWith("200", StringComparison.Ordinal)).Sum(r => r.Value);
            checks.Add(new("sms_texts_recorded", s.SmsMessages == answered,
                string.Create(c, $"{s.SmsMessages} messages in the episode's SMS view, {answered} texts answered 200")));
        }
        return checks;
    }

    private static bool ByTypeHolds(ShowNightFigures f, out string detail)
    {
        var parts = new List<string>();
        var ok = true;
        foreach (var k in f.Kinds)
        {
            var counted = f.Server.ResultsByType.GetValueOrDefault(k.Kind);
            ok &= counted >= k.AcknowledgedVotes && counted <= k.AcknowledgedVotes + k.UnknownVotes;
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{k.Kind} {counted}/{k.AcknowledgedVotes}"));
        }
        detail = "results/acknowledged: " + string.Join(", ", parts);
        return ok;
    }

    private static string Short(string? digest) => digest is null ? "(none)" : digest.Length > 12 ? digest[..12] : digest;
}
