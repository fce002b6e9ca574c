using Voting.Domain.Export;
using static Voting.Domain.Tests.Export.ExportSample;

namespace Voting.Domain.Tests.Export;

public sealed class ExportVerifierTests
{
    /// <summary>Line index of vote row n (1-based) and of the trailer in <see cref="ExportSample.Lines"/>.</summary>
    private static int VoteLine(int n) => n;
    private const int VoidLine = 6;
    private const int TrailerLine = 7;

    private static List<string> With(int index, string from, string to, List<string>? lines = null)
    {
        lines ??= Lines();
        Assert.Contains(from, lines[index]);
        lines[index] = lines[index].Replace(from, to, StringComparison.Ordinal);
        return lines;
    }

    private static VerifyReport Fails(List<string> lines)
    {
        var report = Verify(lines);
        Assert.Equal(VerifyOutcome.Differences, report.Outcome);
        return report;
    }

    [Fact]
    public void AnExportWhoseRowsGiveItsTrailerAndFrozenResultsIsVerified()
    {
        var report = Verify(Lines());

        Assert.True(report.Outcome == VerifyOutcome.Verified, string.Join("\n", report.Differences));
        Assert.Equal($"verified: 8 votes, 1 voids, digest {TheDigest}", report.Summary);
        Assert.Equal((5L, 1L, 8L), (report.VoteRows, report.VoidRows, report.CountedVotes));
        Assert.Equal(Ranked, report.Results);
        Assert.True(report.Frozen);
    }

    [Fact]
    public void TheLinesCarryKindFirstAndSnakeCaseFieldsWithKhmerAsWritten()
    {
        var lines = Lines();

        Assert.StartsWith("""{"kind":"header","format":"xfactor-episode-export/1",""", lines[0]);
        Assert.Contains("\"ស្រីពៅ\"", lines[0]);
        Assert.StartsWith("""{"kind":"vote","id":3,"voter_id":102,"episode_id":5,"contestant_id":12,"vote_type":"sms","vote_count":1,"created_at_ms":""", lines[VoteLine(3)]);
        Assert.EndsWith(""","source":"sms","transaction_id":"smart:msg-1"}""", lines[VoteLine(3)]);
        Assert.StartsWith("""{"kind":"void","vote_id":4,"void_id":1,"contestant_id":13,"vote_count":4,"refunded":false,""", lines[VoidLine]);
        Assert.StartsWith("""{"kind":"trailer","vote_rows":5,"void_rows":1,"total_votes":8,"voided_votes":4,"totals":[{"contestant_id":11,"ballot_number":1,"votes":4,"percentage":50.00,"rank":1}""", lines[TrailerLine]);
    }

    [Fact]
    public void AnExportBeforeTheResultsAreFrozenIsVerifiedAgainstItsTrailer()
    {
        var report = Verify(Lines(frozen: false));

        Assert.Equal(VerifyOutcome.Verified, report.Outcome);
        Assert.False(report.Frozen);
    }

    [Fact]
    public void AVoteRowMovedToAnotherContestantChangesTheDigestAndTheTotals()
    {
        var report = Fails(With(VoteLine(2), "\"contestant_id\":12", "\"contestant_id\":11"));

        var recomputed = ExportSample.Digest([Votes[0], Votes[1] with { ContestantId = 11 }, .. Votes[2..]], Voids);
        Assert.Contains($"trailer: digest is {TheDigest}, the rows give {recomputed}", report.Differences);
        Assert.Contains($"frozen results: digest is {TheDigest}, the rows give {recomputed}", report.Differences);
        Assert.Contains("trailer: contestant 11 has 4 votes, 50.00 %, rank 1 (ballot 1); the rows give 7 votes, 87.50 %, rank 1 (ballot 1)", report.Differences);
        Assert.Contains("frozen results: contestant 12 has 4 votes, 50.00 %, rank 2 (ballot 2); the rows give 1 votes, 12.50 %, rank 2 (ballot 2)", report.Differences);
        Assert.Equal(recomputed, report.Digest);
    }

    [Fact]
    public void AVoteCountRaisedChangesTheTotalsOnBothSides()
    {
        var report = Fails(With(VoteLine(5), "\"vote_count\":2", "\"vote_count\":20"));

        Assert.Contains("trailer: total_votes is 8, the rows give 26", report.Differences);
        Assert.Contains("frozen results: total_votes is 8, the rows give 26", report.Differences);
        Assert.Contains(report.Differences, d => d.StartsWith("trailer: digest is", StringComparison.Ordinal));
    }

    [Fact]
    public void ATamperedTrailerTotalIsTheOnlyDifferenceNamed()
    {
        var report = Fails(With(TrailerLine, "\"contestant_id\":12,\"ballot_number\":2,\"votes\":4", "\"contestant_id\":12,\"ballot_number\":2,\"votes\":5"));

        Assert.Equal(["trailer: contestant 12 has 5 votes, 50.00 %, rank 2 (ballot 2); the rows give 4 votes, 50.00 %, rank 2 (ballot 2)"], report.Differences);
    }

    [Fact]
    public void ATamperedTrailerDigestOrRowCountIsNamed()
    {
        var forged = new string('0', 64);
        var lines = With(TrailerLine, TheDigest, forged);
        lines = With(TrailerLine, "\"void_rows\":1", "\"void_rows\":0", lines);

        var report = Fails(lines);

        Assert.Equal([$"trailer: void_rows is 0, the rows give 1", $"trailer: digest is {forged}, the rows give {TheDigest}"], report.Differences);
    }

    [Fact]
    public void FrozenResultsWithTheRanksSwappedAreNamedPerContestant()
    {
        var header = Header() with { FrozenResults = new FrozenResults(TheDigest, 8, [Ranked[0] with { Rank = 2 }, Ranked[1] with { Rank = 1 }, Ranked[2]]) };
        var lines = Lines();
        lines[0] = Line(header);

        var report = Fails(lines);

        Assert.Equal([
            "frozen results: contestant 11 has 4 votes, 50.00 %, rank 2 (ballot 1); the rows give 4 votes, 50.00 %, rank 1 (ballot 1)",
            "frozen results: contestant 12 has 4 votes, 50.00 %, rank 1 (ballot 2); the rows give 4 votes, 50.00 %, rank 2 (ballot 2)"], report.Differences);
    }

    [Fact]
    public void RowsAndTrailerForgedTogetherStillDifferFromTheDigestTheResultsWereFrozenWith()
    {
        var votes = Votes.ToArray();
        votes[1] = votes[1] with { ContestantId = 11 };
        var forgedDigest = ExportSample.Digest(votes, Voids);
        var totals = new ExportResult[] { new(11, 1, 7, 87.50m, 1), new(12, 2, 1, 12.50m, 2), new(13, 3, 0, 0.00m, 3) };
        List<string> lines = [Line(Header()), .. votes.Select(Line), .. Voids.Select(Line), Line(new ExportTrailer(5, 1, 8, 4, totals, forgedDigest))];

        var report = Fails(lines);

        Assert.Contains($"frozen results: digest is {TheDigest}, the rows give {forgedDigest}", report.Differences);
        Assert.DoesNotContain(report.Differences, d => d.StartsWith("trailer", StringComparison.Ordinal));
        // Anyone holding the digest announced on air catches it even when the header is forged too.
        Assert.Contains($"the expected digest is {TheDigest}, the rows give {forgedDigest}", Verify(lines, TheDigest.ToUpperInvariant()).Differences);
    }

    [Fact]
    public void TheExpectedDigestOfTheAnnouncementIsCheckedToo()
    {
        Assert.Equal(VerifyOutcome.Verified, Verify(Lines(), TheDigest).Outcome);
        Assert.Equal(VerifyOutcome.Differences, Verify(Lines(), new string('a', 64)).Outcome);
    }

    [Fact]
    public void AVoidMustTakeBackAVoteRowOfTheFileWithItsContestantAndCount()
    {
        var wrongContestant = Fails(With(VoidLine, "\"contestant_id\":13", "\"contestant_id\":12"));
        var unknownVote = Fails(With(VoidLine, "\"vote_id\":4", "\"vote_id\":40"));

        Assert.Contains("line 7 (void of vote 4): says contestant 12 and 4 votes, the vote row says contestant 13 and 4 votes", wrongContestant.Differences);
        Assert.Contains("line 7 (void of vote 40): no vote row 40 in this export", unknownVote.Differences);
    }

    [Fact]
    public void AVoteRowTwiceOrOutOfOrderIsNamed()
    {
        var lines = Lines();
        (lines[2], lines[3]) = (lines[3], lines[2]);
        var swapped = Fails(lines);
        var doubled = Lines();
        doubled.Insert(VoidLine, doubled[VoidLine]);

        Assert.Contains("line 4 (vote 2): out of id order, after vote 3", swapped.Differences);
        Assert.Contains("line 8 (void of vote 4): out of vote id order or voided twice, after the void of vote 4", Fails(doubled).Differences);
    }

    [Fact]
    public void RowsThatBreakTheLedgersRulesAreNamed()
    {
        var lines = With(VoteLine(1), "\"contestant_id\":11", "\"contestant_id\":99");
        lines = With(VoteLine(2), "\"episode_id\":5", "\"episode_id\":6", lines);
        lines = With(VoteLine(3), "\"vote_type\":\"sms\"", "\"vote_type\":\"gift\"", lines);
        lines = With(VoteLine(4), "\"vote_count\":4", "\"vote_count\":0", lines);
        lines = With(VoteLine(5), "\"created_at_ms\":", "\"created_at_ms\":1", lines);

        var d = Fails(lines).Differences;

        Assert.Contains("line 2 (vote 1): for contestant 99, who is not in the line-up", d);
        Assert.Contains("line 3 (vote 2): of episode 6, not 5", d);
        Assert.Contains("line 4 (vote 3): unknown vote_type 'gift'", d);
        Assert.Contains("line 5 (vote 4): vote_count 0 is not 1 to 1000", d);
        Assert.Contains(d, x => x.StartsWith("line 6 (vote 5): created_at 2026-06-14T12:00:05.0070000+00:00 is not created_at_ms 1", StringComparison.Ordinal));
    }

    [Fact]
    public void AFileCutShortHasNoTrailer()
    {
        var lines = Lines()[..4];

        Assert.Contains("no trailer: the file ends at line 4 (cut short?)", Fails(lines).Differences);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"kind":"vote","id":9}""")]
    [InlineData("""{"kind":"ballot","id":9}""")]
    [InlineData("""{"id":9,"kind":"vote"}""")]
    [InlineData("[]")]
    public void ALineThatIsNotOfTheFormatIsNamedByItsNumber(string bad)
    {
        var lines = Lines();
        lines.Insert(2, bad);

        Assert.Contains(Fails(lines).Differences, d => d.StartsWith("line 3: not a line of this export", StringComparison.Ordinal));
    }

    [Fact]
    public void FieldsOfTheWrongTypeUnknownOrNullAreNotTheFormat()
    {
        var quoted = With(VoteLine(1), "\"vote_count\":2", "\"vote_count\":\"2\"");
        var unknown = With(VoteLine(1), "\"vote_count\":2", "\"vote_count\":2,\"bonus\":1");
        var nulled = With(VoteLine(1), "\"vote_type\":\"free\"", "\"vote_type\":null");

        foreach (var lines in new[] { quoted, unknown, nulled })
            Assert.Contains(Fails(lines).Differences, d => d.StartsWith("line 2: not a line of this export", StringComparison.Ordinal));
    }

    [Fact]
    public void LinesAfterTheTrailerOrASecondHeaderAreNamed()
    {
        var lines = Lines();
        lines.Insert(1, lines[0]);
        lines.Add(lines[2]);

        var d = Fails(lines).Differences;

        Assert.Contains("line 2: a second header", d);
        Assert.Contains("line 10: a line after the trailer", d);
    }

    [Fact]
    public void AVoteAfterTheVoidsIsNamed()
    {
        var lines = Lines();
        (lines[5], lines[6]) = (lines[6], lines[5]);

        Assert.Contains("line 7 (vote 5): a vote row after the void rows", Fails(lines).Differences);
    }

    [Fact]
    public void AtMostAHundredDifferencesAreListedAndTheRestCounted()
    {
        var lines = Lines();
        lines.InsertRange(6, Enumerable.Range(0, 200).Select(_ => "x"));

        var report = Fails(lines);

        Assert.Equal(ExportVerifier.MaxListed, report.Differences.Count);
        Assert.True(report.Unlisted > 50);
    }

    [Theory]
    [InlineData("", "the file is empty")]
    [InlineData("hello", "line 1 is not an export header")]
    [InlineData("""{"kind":"vote"}""", "line 1 is not an export header")]
    public void AFileThatIsNotAnExportIsUnreadable(string first, string why)
    {
        var report = ExportVerifier.Verify(new StringReader(first));

        Assert.Equal(VerifyOutcome.Unreadable, report.Outcome);
        Assert.StartsWith(why, report.Differences[0], StringComparison.Ordinal);
    }

    [Fact]
    public void AnotherFormatVersionIsUnreadable()
    {
        var lines = Lines();
        lines[0] = Line(Header() with { Format = "xfactor-episode-export/2" });

        var report = Verify(lines);

        Assert.Equal(VerifyOutcome.Unreadable, report.Outcome);
        Assert.Equal("format 'xfactor-episode-export/2' is not xfactor-episode-export/1, the format this verifier reads", report.Differences[0]);
    }
}
