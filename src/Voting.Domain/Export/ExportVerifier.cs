using System.Globalization;
using System.Text.Json;
using Voting.Domain.Voting;

namespace Voting.Domain.Export;

public enum VerifyOutcome
{
    /// <summary>Totals, ranks and digest recomputed from the rows equal the trailer and the frozen results.</summary>
    Verified,
    /// <summary>The file reads as an export, and something in it does not add up.</summary>
    Differences,
    /// <summary>Not an export this verifier reads (empty, no header, another format).</summary>
    Unreadable,
}

/// <summary>What verifying an export found.</summary>
/// <param name="Differences">Each difference in words, at most <see cref="ExportVerifier.MaxListed"/>; <paramref name="Unlisted"/> more.</param>
/// <param name="CountedVotes">Votes the rows count (voided ones excluded).</param>
/// <param name="Results">The line-up ranked by the recomputed votes.</param>
public sealed record VerifyReport(VerifyOutcome Outcome, IReadOnlyList<string> Differences, long Unlisted, long VoteRows, long VoidRows,
    long CountedVotes, string? Digest, IReadOnlyList<ExportResult> Results, ExportHeader? Header)
{
    public bool Frozen => Header?.FrozenResults is not null;

    /// <summary><c>verified: N votes, M voids, digest HEX</c>.</summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture, $"verified: {CountedVotes} votes, {VoidRows} voids, digest {Digest}");
}

/// <summary>
/// Checks an episode's export with nothing but the file: reads it line by line, recomputes the digest and
/// every contestant's counted votes, rank and share from the vote and void rows, and compares them with the
/// trailer and with the results frozen in the header. It keeps three numbers per vote row (to check the
/// voids against their votes), never the lines.
/// </summary>
public static class ExportVerifier
{
    public const int MaxListed = 100;

    /// <param name="expectedDigest">A digest published elsewhere (the RESULTS_READY announcement) the rows must also give.</param>
    public static VerifyReport Verify(TextReader reader, string? expectedDigest = null)
    {
        var first = reader.ReadLine();
        if (first is null) return Unreadable("the file is empty");
        ExportHeader? header;
        try
        {
            header = ExportJson.Parse(first) as ExportHeader;
        }
        catch (JsonException e)
        {
            return Unreadable($"line 1 is not an export header: {e.Message}");
        }
        if (header is null) return Unreadable("line 1 is not an export header");
        if (header.Format != ExportJson.Format) return Unreadable($"format '{header.Format}' is not {ExportJson.Format}, the format this verifier reads");

        using var run = new Run(header);
        run.CheckHeader();
        var number = 1;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine()) run.Read(++number, line);
        return run.Finish(number, expectedDigest);
    }

    private static VerifyReport Unreadable(string why) => new(VerifyOutcome.Unreadable, [why], 0, 0, 0, 0, null, [], null);

    private sealed class Run(ExportHeader header) : IDisposable
    {
        private readonly LedgerReplay _replay = new();
        private readonly List<string> _differences = [];
        private long _unlisted;
        private readonly HashSet<long> _lineup = [];
        // Vote rows by id (ids ascend), to check each void against the row it voids.
        private readonly List<long> _voteIds = [];
        private readonly List<long> _voteContestants = [];
        private readonly List<long> _voteCounts = [];
        private long _lastVoidedId;
        private bool _inVoids;
        private ExportTrailer? _trailer;

        private void Differ(string what)
        {
            if (_differences.Count < MaxListed) _differences.Add(what);
            else _unlisted++;
        }

        public void Read(int number, string text)
        {
            ExportLine line;
            try
            {
                line = ExportJson.Parse(text);
            }
            catch (JsonException e)
            {
                Differ($"line {number}: not a line of this export: {e.Message}");
                return;
            }
            if (_trailer is not null)
            {
                Differ($"line {number}: a line after the trailer");
                return;
            }
            switch (line)
            {
                case ExportVote v: ReadVote(number, v); break;
                case ExportVoid v: ReadVoid(number, v); break;
                case ExportTrailer t: _trailer = t; break;
                default: Differ($"line {number}: a second header"); break;
            }
        }

        public void CheckHeader()
        {
            foreach (var c in header.Lineup)
                if (!_lineup.Add(c.ContestantId)) Differ($"header: contestant {c.ContestantId} is in the line-up twice");
            foreach (var dup in header.Lineup.GroupBy(c => c.BallotNumber).Where(g => g.Count() > 1))
                Differ($"header: ballot number {dup.Key} is given to {dup.Count()} contestants");
            if (header.DigestFormat != Audit.VoteDigest.Format)
                Differ($"header: digest_format is not the one this verifier computes ({Audit.VoteDigest.Format})");
        }

        private void ReadVote(int number, ExportVote v)
        {
            var at = $"line {number} (vote {v.Id})";
            if (_inVoids) Differ($"{at}: a vote row after the void rows");
            if (v.EpisodeId != header.Episode.Id) Differ($"{at}: of episode {v.EpisodeId}, not {header.Episode.Id}");
            if (!_lineup.Contains(v.ContestantId)) Differ($"{at}: for contestant {v.ContestantId}, who is not in the line-up");
            if (!VoteTypes.TryParse(v.VoteType, out _)) Differ($"{at}: unknown vote_type '{v.VoteType}'");
            if (!VoteRules.IsValidCount(v.VoteCount)) Differ($"{at}: vote_count {v.VoteCount} is not 1 to {VoteRules.MaxVoteCount}");
            if (v.Source is not ("app" or "sms")) Differ($"{at}: unknown source '{v.Source}'");
            CheckTime(at, v.CreatedAt, v.CreatedAtMs);
            if (_voteIds.Count > 0 && v.Id <= _voteIds[^1]) Differ($"{at}: out of id order, after vote {_voteIds[^1]}");
            else
            {
                _voteIds.Add(v.Id);
                _voteContestants.Add(v.ContestantId);
                _voteCounts.Add(v.VoteCount);
            }
            _replay.Add(v);
        }

        private void ReadVoid(int number, ExportVoid v)
        {
            _inVoids = true;
            var at = $"line {number} (void of vote {v.VoteId})";
            if (v.VoteId <= _lastVoidedId) Differ($"{at}: out of vote id order or voided twice, after the void of vote {_lastVoidedId}");
            _lastVoidedId = Math.Max(_lastVoidedId, v.VoteId);
            var i = _voteIds.BinarySearch(v.VoteId);
            if (i < 0) Differ($"{at}: no vote row {v.VoteId} in this export");
            else if (_voteContestants[i] != v.ContestantId || _voteCounts[i] != v.VoteCount)
                Differ($"{at}: says contestant {v.ContestantId} and {v.VoteCount} votes, the vote row says contestant {_voteContestants[i]} and {_voteCounts[i]} votes");
            CheckTime(at, v.CreatedAt, v.CreatedAtMs);
            _replay.Add(v);
        }

        private void CheckTime(string at, DateTimeOffset time, long ms)
        {
            if (time.ToUnixTimeMilliseconds() != ms || time.Ticks % TimeSpan.TicksPerMillisecond != 0)
                Differ($"{at}: created_at {time:O} is not created_at_ms {ms}");
        }

        public VerifyReport Finish(int lines, string? expectedDigest)
        {
            var results = _replay.Rank(header.Lineup);
            var digest = _replay.FinishDigest();
            if (_trailer is not { } t) Differ($"no trailer: the file ends at line {lines} (cut short?)");
            else
            {
                Compare("trailer: vote_rows", t.VoteRows, _replay.VoteRows);
                Compare("trailer: void_rows", t.VoidRows, _replay.VoidRows);
                Compare("trailer: total_votes", t.TotalVotes, _replay.CountedVotes);
                Compare("trailer: voided_votes", t.VoidedVotes, _replay.VoidedVotes);
                CompareDigest("trailer: digest", t.Digest, digest);
                CompareResults("trailer", t.Totals, results);
            }
            if (header.FrozenResults is { } frozen)
            {
                CompareDigest("frozen results: digest", frozen.Digest, digest);
                Compare("frozen results: total_votes", frozen.TotalVotes, _replay.CountedVotes);
                CompareResults("frozen results", frozen.Results, results);
            }
            if (expectedDigest is not null) CompareDigest("the expected digest", expectedDigest.Trim().ToLowerInvariant(), digest);
            var outcome = _differences.Count == 0 ? VerifyOutcome.Verified : VerifyOutcome.Differences;
            return new VerifyReport(outcome, _differences, _unlisted, _replay.VoteRows, _replay.VoidRows, _replay.CountedVotes, digest, results, header);
        }

        private void Compare(string what, long claimed, long computed)
        {
            if (claimed != computed) Differ($"{what} is {claimed}, the rows give {computed}");
        }

        private void CompareDigest(string what, string claimed, string computed)
        {
            if (!string.Equals(claimed, computed, StringComparison.Ordinal)) Differ($"{what} is {claimed}, the rows give {computed}");
        }

        private void CompareResults(string what, IReadOnlyList<ExportResult> claimed, IReadOnlyList<ExportResult> computed)
        {
            var byContestant = new Dictionary<long, ExportResult>();
            foreach (var c in claimed)
                if (!byContestant.TryAdd(c.ContestantId, c)) Differ($"{what}: contestant {c.ContestantId} is listed twice");
            foreach (var r in computed)
            {
                if (!byContestant.Remove(r.ContestantId, out var c)) Differ($"{what}: contestant {r.ContestantId} is missing");
                else if (c != r) Differ($"{what}: contestant {r.ContestantId} has {Describe(c)}; the rows give {Describe(r)}");
            }
            foreach (var extra in byContestant.Keys) Differ($"{what}: contestant {extra} is not in the line-up");
        }

        private static string Describe(ExportResult r) =>
            string.Create(CultureInfo.InvariantCulture, $"{r.Votes} votes, {r.Percentage} %, rank {r.Rank} (ballot {r.BallotNumber})");

        public void Dispose() => _replay.Dispose();
    }
}
