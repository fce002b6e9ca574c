using Voting.Domain;
using Voting.Domain.Results;
using Voting.Domain.Voting;
using Voting.Storage;

namespace Voting.Server.Voting;

public sealed record ResultsEpisodeDto(long Id, string Title, int EpisodeNumber, bool VotingActive, long TotalVotes);

public sealed record ResultRowDto(long ContestantId, string Name, string? KhmerName, string? PhotoUrl, long Votes, decimal Percentage, int Rank);

public sealed record ByTypeDto(long Free, long Paid, long Bundle, long Sms);

public sealed record ByHourDto(DateTimeOffset Hour, long Votes);

public sealed record BreakdownDto(long TotalVotes, long UniqueVoters, ByTypeDto ByType, IReadOnlyList<ByHourDto> ByHour);

public sealed record ResultsResponse(ResultsEpisodeDto Episode, IReadOnlyList<ResultRowDto> Results, BreakdownDto VoteBreakdown, DateTimeOffset LastUpdated);

/// <summary>Builds an episode's results from the kept tallies (ranks and percentages by the domain).</summary>
public sealed class ResultsReader(ICatalogStore catalog, IResultsStore store, TimeProvider time)
{
    public async Task<ResultsResponse?> ReadAsync(EpisodeId id, CancellationToken ct)
    {
        var episode = await catalog.GetEpisodeAsync(id, ct);
        if (episode is null) return null;
        var lineup = await catalog.GetLineupAsync(id, ct);
        var tallies = await store.GetResultsAsync(id, ct);
        var votes = tallies.Contestants.ToDictionary(c => c.Contestant);
        var ranked = ResultsCalculator.Rank(lineup.Select(c => new ContestantTally(c.Id, c.BallotNumber, votes.GetValueOrDefault(c.Id)?.Votes ?? 0)));
        var byId = lineup.ToDictionary(c => c.Id);
        var rows = ranked.Select(r =>
        {
            var c = byId[r.Contestant];
            return new ResultRowDto(c.Id.Value, c.Name, c.KhmerName, c.PhotoUrl, r.Votes, r.Percentage, r.Rank);
        }).ToList();
        long Of(VoteType t) => tallies.Contestants.Sum(c => c.ByType.GetValueOrDefault(t));
        var total = tallies.Contestants.Sum(c => c.Votes);
        var now = time.GetUtcNow();
        return new ResultsResponse(
            new ResultsEpisodeDto(id.Value, episode.Title, episode.EpisodeNumber, episode.Window.IsOpenAt(now), total),
            rows,
            new BreakdownDto(total, tallies.UniqueVoters, new ByTypeDto(Of(VoteType.Free), Of(VoteType.Paid), Of(VoteType.Bundle), Of(VoteType.Sms)),
                tallies.ByHour.Select(h => new ByHourDto(h.Hour, h.Votes)).ToList()),
            now);
    }
}
