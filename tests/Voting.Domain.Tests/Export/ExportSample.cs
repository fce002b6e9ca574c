using System.Text.Json;
using Voting.Domain.Audit;
using Voting.Domain.Export;

namespace Voting.Domain.Tests.Export;

/// <summary>
/// A small export written by hand: contestants 11, 12, 13 (ballots 1-3) of episode 5, five vote rows, vote 4
/// voided. Counted: 11 has 2+2 = 4, 12 has 3+1 = 4 (a tie: ballot 1 ranks first), 13 has 4-4 = 0; 8 in all.
/// </summary>
public static class ExportSample
{
    public const long Episode = 5;
    private static readonly DateTimeOffset Start = new(2026, 6, 14, 12, 0, 0, TimeSpan.Zero);

    public static readonly ExportContestant[] Lineup =
    [
        new(11, "Sokha", 1, "active"),
        new(12, "ស្រីពៅ", 2, "active"),
        new(13, "Dara", 3, "eliminated"),
    ];

    public static ExportVote Vote(long id, long voter, long contestant, string type, long count, string? transaction = null)
    {
        var at = Start.AddSeconds(id).AddMilliseconds(7);
        return new ExportVote(id, voter, Episode, contestant, type, count, at.ToUnixTimeMilliseconds(), at, transaction is null ? "app" : "sms", transaction);
    }

    public static readonly ExportVote[] Votes =
    [
        Vote(1, 100, 11, "free", 2),
        Vote(2, 101, 12, "paid", 3),
        Vote(3, 102, 12, "sms", 1, "smart:msg-1"),
        Vote(4, 100, 13, "bundle", 4),
        Vote(5, 103, 11, "paid", 2),
    ];

    public static readonly ExportVoid[] Voids =
    [
        new(4, 1, 13, 4, false, Start.AddMinutes(5).ToUnixTimeMilliseconds(), Start.AddMinutes(5), "scripted voting"),
    ];

    public static readonly ExportResult[] Ranked =
    [
        new(11, 1, 4, 50.00m, 1),
        new(12, 2, 4, 50.00m, 2),
        new(13, 3, 0, 0.00m, 3),
    ];

    /// <summary>SHA-256 over the rows as <see cref="VoteDigest"/> (tested on its own) lays them out.</summary>
    public static string Digest(IEnumerable<ExportVote> votes, IEnumerable<ExportVoid> voids)
    {
        using var digest = new VoteDigest();
        foreach (var v in votes) digest.Append(v.ToDigestRow());
        foreach (var v in voids) digest.Append(v.ToDigestRow());
        return digest.Finish();
    }

    public static readonly string TheDigest = Digest(Votes, Voids);

    public static ExportHeader Header(bool frozen = true) => new(ExportJson.Format, Start.AddHours(1),
        new ExportEpisode(Episode, 1, 3, "Live 3", frozen ? "RESULTS_READY" : "VOTING_OPEN", Start, Start.AddMinutes(30)),
        Lineup, frozen ? new FrozenResults(TheDigest, 8, Ranked) : null, VoteDigest.Format);

    public static ExportTrailer Trailer() => new(5, 1, 8, 4, Ranked, TheDigest);

    public static string Line(ExportLine line) => JsonSerializer.Serialize(line, ExportJson.Options);

    /// <summary>The export's lines, as the server writes them.</summary>
    public static List<string> Lines(bool frozen = true) =>
        [Line(Header(frozen)), .. Votes.Select(Line), .. Voids.Select(Line), Line(Trailer())];

    public static VerifyReport Verify(IEnumerable<string> lines, string? expectedDigest = null) =>
        ExportVerifier.Verify(new StringReader(string.Join("\n", lines) + "\n"), expectedDigest);
}
