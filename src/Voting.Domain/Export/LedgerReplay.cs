using Voting.Domain.Audit;
using Voting.Domain.Results;

namespace Voting.Domain.Export;

/// <summary>
/// Replays an episode's ledger in export order (vote rows in id order, then void rows in vote id order)
/// into its digest and the counted votes per contestant. The export writes its trailer with this and the
/// verifier recomputes with it, so both count and rank as the results endpoint does.
/// </summary>
public sealed class LedgerReplay : IDisposable
{
    private readonly VoteDigest _digest = new();
    private readonly Dictionary<long, long> _votes = [];

    public long VoteRows { get; private set; }
    public long VoidRows { get; private set; }
    public long VotedVotes { get; private set; }
    public long VoidedVotes { get; private set; }
    public long CountedVotes => VotedVotes - VoidedVotes;

    public void Add(ExportVote vote)
    {
        _digest.Append(vote.ToDigestRow());
        VoteRows++;
        VotedVotes += vote.VoteCount;
        _votes[vote.ContestantId] = _votes.GetValueOrDefault(vote.ContestantId) + vote.VoteCount;
    }

    public void Add(ExportVoid row)
    {
        _digest.Append(row.ToDigestRow());
        VoidRows++;
        VoidedVotes += row.VoteCount;
        _votes[row.ContestantId] = _votes.GetValueOrDefault(row.ContestantId) - row.VoteCount;
    }

    /// <summary>Counted votes of one contestant so far.</summary>
    public long VotesOf(long contestant) => _votes.GetValueOrDefault(contestant);

    /// <summary>The line-up ranked by the counted votes (<see cref="ResultsCalculator.Rank"/>), in rank order.</summary>
    public IReadOnlyList<ExportResult> Rank(IEnumerable<ExportContestant> lineup) => Rank(lineup, VotesOf);

    /// <summary>The line-up ranked by the given votes, in rank order.</summary>
    public static IReadOnlyList<ExportResult> Rank(IEnumerable<ExportContestant> lineup, Func<long, long> votesOf) =>
        ResultsCalculator.Rank(lineup.Select(c => new ContestantTally(new ContestantId(c.ContestantId), c.BallotNumber, votesOf(c.ContestantId))))
            .Select(r => new ExportResult(r.Contestant.Value, r.BallotNumber, r.Votes, r.Percentage, r.Rank))
            .ToList();

    /// <summary>The lower-case hex digest of the rows added (once).</summary>
    public string FinishDigest() => _digest.Finish();

    public void Dispose() => _digest.Dispose();
}
