using System.Globalization;
using System.Text;
using Voting.Domain.Export;

namespace Voting.Cli;

/// <summary>
/// <c>verify FILE [--digest HEX]</c>: exit 0 when the export's rows give its trailer and its frozen results,
/// 1 naming each difference, 2 when the file cannot be read as an export or the command is wrong.
/// The checking is <see cref="ExportVerifier"/>; this reads the arguments and the file and prints.
/// </summary>
public static class VerifyCommand
{
    public const int Verified = 0;
    public const int Differences = 1;
    public const int Unusable = 2;

    private const string Usage = "usage: Voting.Cli verify FILE [--digest HEX]   (FILE: an episode export, GET /api/v1/admin/episodes/{id}/export)";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        if (args is not ["verify", var file, .. var rest] || rest is not ([] or ["--digest", _]))
        {
            error.WriteLine(Usage);
            return Unusable;
        }
        var expected = rest is [_, var hex] ? hex : null;
        VerifyReport report;
        try
        {
            // Bytes that are not UTF-8 are a file this cannot read, not a difference to report.
            using var reader = new StreamReader(file, new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true,
                new FileStreamOptions { BufferSize = 1 << 16, Options = FileOptions.SequentialScan });
            report = ExportVerifier.Verify(reader, expected);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DecoderFallbackException or ArgumentException)
        {
            error.WriteLine($"cannot read {file}: {e.Message}");
            return Unusable;
        }
        return Print(report, file, output, error);
    }

    private static int Print(VerifyReport report, string file, TextWriter output, TextWriter error)
    {
        if (report.Outcome == VerifyOutcome.Unreadable)
        {
            error.WriteLine($"cannot verify {file}: {report.Differences[0]}");
            return Unusable;
        }
        var header = report.Header!;
        if (report.Outcome == VerifyOutcome.Differences)
        {
            var count = report.Differences.Count + report.Unlisted;
            output.WriteLine($"NOT VERIFIED: {count} difference{(count == 1 ? "" : "s")} in the export of episode {header.Episode.Id}");
            foreach (var d in report.Differences) output.WriteLine($"  {d}");
            if (report.Unlisted > 0) output.WriteLine($"  ... and {report.Unlisted} more");
            output.WriteLine($"the rows give: {report.CountedVotes} votes, {report.VoidRows} voids, digest {report.Digest}");
            return Differences;
        }
        output.WriteLine(report.Summary);
        output.WriteLine(report.Frozen
            ? $"episode {header.Episode.Id} \"{header.Episode.Title}\": {report.VoteRows} vote rows; equal to the trailer and to the results frozen with RESULTS_READY"
            : $"episode {header.Episode.Id} \"{header.Episode.Title}\": {report.VoteRows} vote rows; equal to the trailer (results not frozen yet: state {header.Episode.ShowState})");
        var names = header.Lineup.ToDictionary(c => c.ContestantId, c => c.Name);
        foreach (var r in report.Results)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {r.Rank}. {names[r.ContestantId]} (ballot {r.BallotNumber}): {r.Votes} votes, {r.Percentage} %"));
        return Verified;
    }
}
