using System.Text.Json.Serialization;
using Voting.Domain.Audit;

namespace Voting.Domain.Export;

/// <summary>
/// One line of an episode's certified export (NDJSON): a header, every vote row in id order, every
/// void row in vote id order, a trailer. <c>kind</c> names the line.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(ExportHeader), "header")]
[JsonDerivedType(typeof(ExportVote), "vote")]
[JsonDerivedType(typeof(ExportVoid), "void")]
[JsonDerivedType(typeof(ExportTrailer), "trailer")]
public abstract record ExportLine;

/// <summary>The first line: what the export is of, and the results frozen when voting closed (null before).</summary>
/// <param name="Format">The export's format and version: xfactor-episode-export/1.</param>
/// <param name="DigestFormat">How the digest is made (the audit's digest_format).</param>
public sealed record ExportHeader(
    string Format,
    DateTimeOffset ExportedAt,
    ExportEpisode Episode,
    IReadOnlyList<ExportContestant> Lineup,
    FrozenResults? FrozenResults,
    string DigestFormat) : ExportLine;

/// <summary>The episode, its show state and voting window.</summary>
public sealed record ExportEpisode(long Id, long SeasonId, int EpisodeNumber, string Title, string ShowState,
    DateTimeOffset? VotingStart, DateTimeOffset? VotingEnd);

/// <summary>A contestant of the line-up; the ballot number breaks ties in the ranking.</summary>
public sealed record ExportContestant(long ContestantId, string Name, int BallotNumber, string Status);

/// <summary>The results announced with RESULTS_READY: the ledger digest they were frozen with, and the ranking.</summary>
public sealed record FrozenResults(string Digest, long TotalVotes, IReadOnlyList<ExportResult> Results);

/// <summary>A contestant's counted votes (voids excluded), share and rank.</summary>
public sealed record ExportResult(long ContestantId, int BallotNumber, long Votes, decimal Percentage, int Rank);

/// <summary>A vote row of the ledger, app or SMS. The digest covers id through created_at_ms.</summary>
/// <param name="Source"><c>app</c>, or <c>sms</c> for a premium text (then transaction_id is the carrier and its message id).</param>
public sealed record ExportVote(long Id, long VoterId, long EpisodeId, long ContestantId, string VoteType, long VoteCount, long CreatedAtMs,
    DateTimeOffset CreatedAt, string Source, string? TransactionId) : ExportLine
{
    public DigestRow ToDigestRow() => new(Id, VoterId, EpisodeId, ContestantId, VoteType, VoteCount, CreatedAtMs);
}

/// <summary>A void row: the vote row it took back out of the count (its contestant and count repeated), and why.</summary>
public sealed record ExportVoid(long VoteId, long VoidId, long ContestantId, long VoteCount, bool Refunded, long CreatedAtMs,
    DateTimeOffset CreatedAt, string Reason) : ExportLine
{
    public VoidDigestRow ToDigestRow() => new(VoteId, VoidId, Refunded, CreatedAtMs);
}

/// <summary>The last line: what the rows above add up to, and their digest.</summary>
/// <param name="TotalVotes">Counted votes: every vote row's count less the voided ones.</param>
/// <param name="Totals">Per contestant of the line-up, ranked as the results are.</param>
public sealed record ExportTrailer(long VoteRows, long VoidRows, long TotalVotes, long VoidedVotes, IReadOnlyList<ExportResult> Totals,
    string Digest) : ExportLine;
