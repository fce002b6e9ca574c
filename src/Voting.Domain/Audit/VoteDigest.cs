using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Voting.Domain.Audit;

/// <summary>A ledger vote row as it enters the digest.</summary>
public readonly record struct DigestRow(long VoteId, long VoterId, long EpisodeId, long ContestantId, string VoteType, long VoteCount, long CreatedAtUnixMs);

/// <summary>A void row (one voided vote row) as it enters the digest.</summary>
public readonly record struct VoidDigestRow(long VoteId, long VoidId, bool Refunded, long CreatedAtUnixMs);

/// <summary>
/// SHA-256 over an episode's vote rows in id order, one line per row:
/// <c>id|voter_id|episode_id|contestant_id|vote_type|vote_count|created_at_unix_ms\n</c>,
/// then its void rows in voted row id order, one line per row:
/// <c>void|vote_id|void_id|refunded(0/1)|created_at_unix_ms\n</c> (none without voids, so an
/// episode without voids has the digest of its vote rows alone). Anyone holding an export can recompute it.
/// </summary>
public sealed class VoteDigest : IDisposable
{
    /// <summary>How the digest is made, as the audit and the export say it.</summary>
    public const string Format =
        "sha256 over 'id|voter_id|episode_id|contestant_id|vote_type|vote_count|created_at_unix_ms\\n' per vote row in id order, " +
        "then 'void|vote_id|void_id|refunded|created_at_unix_ms\\n' per voided vote row in vote id order";

    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <summary>The line a row contributes.</summary>
    public static string Line(DigestRow r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.VoteId}|{r.VoterId}|{r.EpisodeId}|{r.ContestantId}|{r.VoteType}|{r.VoteCount}|{r.CreatedAtUnixMs}\n");

    /// <summary>The line a void row contributes.</summary>
    public static string Line(VoidDigestRow r) => string.Create(CultureInfo.InvariantCulture,
        $"void|{r.VoteId}|{r.VoidId}|{(r.Refunded ? 1 : 0)}|{r.CreatedAtUnixMs}\n");

    /// <summary>Adds the next row (rows must come in id order).</summary>
    public void Append(DigestRow row) => _hash.AppendData(Encoding.UTF8.GetBytes(Line(row)));

    /// <summary>Adds the next void row, after every vote row (in voted row id order).</summary>
    public void Append(VoidDigestRow row) => _hash.AppendData(Encoding.UTF8.GetBytes(Line(row)));

    /// <summary>The lower-case hex digest of what was appended.</summary>
    public string Finish() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    /// <inheritdoc/>
    public void Dispose() => _hash.Dispose();
}
