using Voting.LoadTest.ShowNight;

namespace Voting.LoadTest.Tests;

public sealed class ShowChecksTests
{
    private const string Digest = "d02a76962c498ce7b0a1e08dcfe925521b2fd03d7ccd96e92076f5f70dc6066f";

    private static KindFigures Kind(string name, long votes, long unknown = 0, long refused = 0, string refusal = "422 VOTING_CLOSED")
    {
        var h = new LatencyHistogram();
        for (var i = 1; i <= 100; i++) h.Record(i * 1000);
        var refusals = refused == 0 ? new Dictionary<string, long>() : new Dictionary<string, long> { [refusal] = refused };
        return new KindFigures(name, votes + refused, votes, votes, unknown, refusals, h);
    }

    /// <summary>A run where everything held: 100 free, 200 paid, 50 bundle, 30 SMS votes.</summary>
    private static ShowNightFigures Good() => new(
        "http://127.0.0.1:5000/", 3, 42, 20, 50, 45, 5,
        [Kind("free", 100), Kind("paid", 200), Kind("bundle", 50), Kind("sms", 30)],
        [new("SHOW_START", 200, null), new("VOTING_OPEN", 200, null), new("VOTING_CLOSE", 200, null)],
        new WatcherFigures(20, 20, 0, 20, 20, 20, 20, [Digest], [380], 500, new LatencyHistogram(), new Dictionary<string, long>()),
        new ServerFigures("RESULTS_READY", 380, 380, true, true, Digest, 380,
            new Dictionary<string, long> { ["free"] = 100, ["paid"] = 200, ["bundle"] = 50, ["sms"] = 30 }, 45, 150, 0, 0, 30, 30),
        "2026-11-30T18:00:00Z", 2, 25);

    private static IReadOnlyList<string> Failed(ShowNightFigures f) =>
        [.. ShowChecks.Evaluate(f).Where(c => !c.Passed).Select(c => c.Name)];

    [Fact]
    public void ARunWhereEverythingHeldPassesEveryCheck()
    {
        var checks = ShowChecks.Evaluate(Good());
        Assert.Equal(12, checks.Count);
        Assert.Empty(Failed(Good()));
    }

    [Fact]
    public void ALedgerMissingOneAcknowledgedVoteFails() =>
        Assert.Equal(["ledger_equals_acknowledged", "frozen_digest_equals_audit"],
            Failed(Good() with { Server = Good().Server with { LedgerVotes = 379 } }));

    [Fact]
    public void ALedgerWithAVoteNoOneWasToldOfFailsUnlessARequestWentUnanswered()
    {
        var extra = Good() with { Server = Good().Server with { LedgerVotes = 381 }, Watchers = Good().Watchers with { FrozenVoteCounts = [381] } };
        Assert.Equal(["ledger_equals_acknowledged"], Failed(extra));
        var unanswered = extra with { Kinds = [Kind("free", 100, unknown: 1), Kind("paid", 200), Kind("bundle", 50), Kind("sms", 30)] };
        Assert.Empty(Failed(unanswered));
    }

    [Fact]
    public void ResultsThatMoveVotesBetweenTypesFailEvenWhenTheTotalHolds() =>
        Assert.Equal(["results_by_type_equal_acknowledged"], Failed(Good() with
        {
            Server = Good().Server with { ResultsByType = new Dictionary<string, long> { ["free"] = 101, ["paid"] = 199, ["bundle"] = 50, ["sms"] = 30 } },
        }));

    [Fact]
    public void AnAcknowledgedIdMissingFromHistoryFails()
    {
        Assert.Equal(["acknowledged_ids_in_history"], Failed(Good() with { Server = Good().Server with { HistoryIdsMissing = 1 } }));
        Assert.Equal(["acknowledged_ids_in_history"], Failed(Good() with { Server = Good().Server with { HistoryExtraRows = 2 } }));
        Assert.Equal(["acknowledged_ids_in_history"], Failed(Good() with { Server = Good().Server with { HistoryViewersChecked = 0 } }));
    }

    [Fact]
    public void ResultsThatNeverFrozeOrADigestThatDiffersFail()
    {
        Assert.Equal(["results_frozen"], Failed(Good() with { Server = Good().Server with { FinalState = "VOTING_CLOSED" } }));
        Assert.Equal(["frozen_digest_equals_audit"], Failed(Good() with { Watchers = Good().Watchers with { FrozenDigests = [Digest, "00"] } }));
        Assert.Equal(["frozen_digest_equals_audit"], Failed(Good() with { Server = Good().Server with { AuditDigest = "ff" } }));
    }

    [Fact]
    public void AnInconsistentAuditOrARefusedSignalFails()
    {
        Assert.Equal(["audit_consistent"], Failed(Good() with { Server = Good().Server with { VoterCountersConsistent = false } }));
        Assert.Equal(["signals_applied"], Failed(Good() with { Signals = [new("VOTING_OPEN", 409, "VOTING_ALREADY_OPEN")] }));
    }

    [Fact]
    public void WatchersThatMissedTheCloseOrWereDroppedFail()
    {
        Assert.Equal(["watchers_saw_open_and_close"], Failed(Good() with { Watchers = Good().Watchers with { SawVotingClosed = 19 } }));
        Assert.Equal(["watchers_connected_and_kept"], Failed(Good() with { Watchers = Good().Watchers with { Dropped = 1 } }));
        Assert.Equal(["watchers_saw_live_results"], Failed(Good() with { Watchers = Good().Watchers with { SawLiveResults = 0 } }));
    }

    [Fact]
    public void WithoutWatchersTheirChecksAreLeftOut() =>
        Assert.DoesNotContain(ShowChecks.Evaluate(Good() with { Watchers = Good().Watchers with { Requested = 0, Connected = 0 } }),
            c => c.Name.StartsWith("watchers", StringComparison.Ordinal));

    [Fact]
    public void TextsTheSmsViewMissedFailButRefusedTextsStillCount()
    {
        Assert.Equal(["sms_texts_recorded"], Failed(Good() with { Server = Good().Server with { SmsMessages = 29 } }));
        var refused = Good() with { Kinds = [Kind("free", 100), Kind("paid", 200), Kind("bundle", 50), Kind("sms", 30, refused: 2, refusal: "200 failed")] };
        Assert.Equal(["sms_texts_recorded"], Failed(refused));
        Assert.Empty(Failed(refused with { Server = refused.Server with { SmsMessages = 32 } }));
    }

    [Fact]
    public void TheReportNamesEveryCheckAndTheLatencies()
    {
        var f = Good() with
        {
            Server = Good().Server with { LedgerVotes = 379 },
            Kinds = [Kind("free", 100), Kind("paid", 200), Kind("bundle", 50, refused: 3), Kind("sms", 30)],
        };
        var checks = ShowChecks.Evaluate(f);
        var md = ShowReport.Markdown(f, checks);
        Assert.Contains("# Show night: 10 of 12 checks passed", md, StringComparison.Ordinal);
        Assert.Contains("| ledger_equals_acknowledged | FAILED | ledger_votes 379, acknowledged 380 |", md, StringComparison.Ordinal);
        Assert.Contains("| free | 100 | 100 | 100 | 0 | 50.", md, StringComparison.Ordinal);
        Assert.Contains("| bundle | 422 VOTING_CLOSED |", md, StringComparison.Ordinal);
        var json = System.Text.Json.JsonDocument.Parse(ShowReport.Json(f, checks)).RootElement;
        Assert.False(json.GetProperty("passed").GetBoolean());
        Assert.Equal(380, json.GetProperty("acknowledged_votes").GetInt64());
        Assert.InRange(json.GetProperty("votes").GetProperty("free").GetProperty("latency_ms").GetProperty("p99").GetDouble(), 99.0, 99.8);
        Assert.Equal(12, json.GetProperty("checks").GetArrayLength());
    }
}
