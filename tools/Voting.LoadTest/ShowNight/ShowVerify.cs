using System.Text.Json.Nodes;

namespace Voting.LoadTest.ShowNight;

/// <summary>After the show: the audit, the results, a sample of viewers' histories, the SMS view and the replies queued.</summary>
internal static class ShowVerify
{
    public static async Task<ServerFigures> RunAsync(ShowApi show, ShowSetup setup, ShowCrowd crowd, ShowNightOptions o, string? finalState, CancellationToken ct)
    {
        var episode = setup.Episode;
        var audit = await show.GetAdminAsync($"api/v1/admin/episodes/{episode}/audit", ct);
        var results = await show.GetAsync($"api/v1/xfactor/voting/results/{episode}", null, ct);
        var byType = results["vote_breakdown"]?["by_type"]?.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<long>(), StringComparer.Ordinal)
            ?? new Dictionary<string, long>(StringComparer.Ordinal);
        var (viewers, checkedIds, missing, extra) = await HistoryAsync(show, setup, crowd, o.VerifySample, ct);
        var sms = await show.GetAdminAsync($"api/v1/admin/episodes/{episode}/sms", ct);
        return new ServerFigures(finalState,
            audit["ledger_votes"]!.GetValue<long>(), audit["tally_votes"]!.GetValue<long>(),
            audit["consistent"]!.GetValue<bool>(), audit["voter_counters_consistent"]?.GetValue<bool>() ?? true, audit["digest"]?.GetValue<string>(),
            results["vote_breakdown"]?["total_votes"]?.GetValue<long>() ?? -1, byType,
            viewers, checkedIds, missing, extra,
            sms["messages"]?.GetValue<long>() ?? -1, await RepliesAsync(show, crowd.MessagePrefix, ct));
    }

    /// <summary>
    /// For up to <paramref name="sample"/> viewers who were answered: every acknowledged vote id is
    /// in their history, counted, and the history holds no row of this episode that was not
    /// acknowledged (unless a request of theirs went unanswered).
    /// </summary>
    private static async Task<(int Viewers, long Ids, long Missing, long Extra)> HistoryAsync(ShowApi show, ShowSetup setup, ShowCrowd crowd, int sample, CancellationToken ct)
    {
        int viewers = 0;
        long ids = 0, missing = 0, extra = 0;
        foreach (var (viewer, bag) in crowd.Figures.VoteIds.OrderBy(v => v.Key).Take(sample))
        {
            var acknowledged = bag.ToHashSet();
            var seen = new HashSet<long>();
            for (var page = 1; ; page++)
            {
                var data = await show.GetAsync($"api/v1/xfactor/voting/history?page={page}", setup.Voters[viewer].Authorization, ct);
                foreach (var vote in data["votes"]!.AsArray().OfType<JsonNode>())
                {
                    if (vote["episode"]?["id"]?.GetValue<long>() != setup.Episode) continue;
                    var id = vote["id"]!.GetValue<long>();
                    if (acknowledged.Contains(id) && vote["status"]?.GetValue<string>() != "voided") seen.Add(id);
                    else if (!acknowledged.Contains(id) && !crowd.Figures.UnknownByViewer.ContainsKey(viewer)) extra++;
                }
                if (page >= (data["pagination"]?["total_pages"]?.GetValue<int>() ?? 1)) break;
            }
            viewers++;
            ids += acknowledged.Count;
            missing += acknowledged.Count(id => !seen.Contains(id));
        }
        return (viewers, ids, missing, extra);
    }

    /// <summary>Reply texts queued for this run's messages (keyed <c>sms-reply:smart:&lt;message id&gt;</c>), among the newest 1,000 of each status.</summary>
    private static async Task<long> RepliesAsync(ShowApi show, string prefix, CancellationToken ct)
    {
        long replies = 0;
        foreach (var status in new[] { "pending", "delivered", "dead" })
        {
            var list = await show.GetAdminAsync($"api/v1/admin/outbox?kind=sms&status={status}&limit=1000", ct);
            replies += list["entries"]!.AsArray().OfType<JsonNode>()
                .Count(e => e["idempotency_key"]?.GetValue<string>()?.StartsWith($"sms-reply:smart:{prefix}-", StringComparison.Ordinal) == true);
        }
        return replies;
    }
}
