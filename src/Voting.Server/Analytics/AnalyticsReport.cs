using System.Globalization;
using Voting.Domain.Analytics;
using Voting.Domain.Results;
using Voting.Domain.Voting;
using Voting.Storage;

namespace Voting.Server.Analytics;

/// <summary>Builds the report from the episode's counters, the line-up and the time now (the maths is the domain's).</summary>
public static class AnalyticsReport
{
    public static AnalyticsDto Build(EpisodeAnalyticsData d, IReadOnlyList<LineupContestant> lineup, DateTimeOffset now)
    {
        var total = d.ByType.Sum(t => t.Votes);
        var smsRevenue = d.SmsCents / 100m;
        var packageRevenue = d.Packages.Cents / 100m;
        var summary = new SummaryDto(total, d.UniqueVoters, Ratio(total, d.UniqueVoters), new RevenueDto(smsRevenue, packageRevenue, smsRevenue + packageRevenue),
            Percent(d.UniqueVoters, d.RegisteredVoters));

        var open = d.Window.IsOpenAt(now);
        var asOf = d.Window.End is { } end && end < now ? end : now;
        var referenceMinute = TrendWindows.MinuteOf(asOf) + (open ? 0 : 1);
        var votes = lineup.ToDictionary(c => c.Id, c => d.ByType.Where(t => t.Contestant == c.Id).Sum(t => t.Votes));
        var momentum = lineup.ToDictionary(c => c.Id, c => VoteRates.Momentum(d.Minutes.Where(m => m.Contestant == c.Id), referenceMinute));
        var outlook = open
            ? Forecast.Project([.. lineup.Select(c => new ContestantVotes(c.Id, votes[c.Id]))], d.Minutes, d.Window.Start!.Value, d.Window.End!.Value, now)
            : null;
        var projected = outlook?.Contestants.ToDictionary(o => o.Contestant, o => o.ProjectedVotes) ?? votes;
        var ranks = lineup.OrderByDescending(c => projected[c.Id]).ThenByDescending(c => votes[c.Id]).ThenBy(c => c.BallotNumber)
            .Select((c, i) => (c.Id, Rank: i + 1)).ToDictionary(x => x.Id, x => x.Rank);

        var contestants = lineup.Select(c => new ContestantAnalysisDto(c.Id.Value, c.Name, votes[c.Id], d.VotersByContestant.GetValueOrDefault(c.Id),
            ByType(d.ByType.Where(t => t.Contestant == c.Id)), Hourly(d.Minutes.Where(m => m.Contestant == c.Id)), momentum[c.Id], ranks[c.Id])).ToList();

        PredictionsDto? predictions = null;
        if (outlook is not null)
        {
            var winner = lineup.FirstOrDefault(c => c.Id == outlook.ProjectedWinner);
            predictions = new PredictionsDto(outlook.EstimatedTotalVotes,
                winner is null ? null : new ProjectedWinnerDto(winner.Id.Value, winner.Name, votes[winner.Id], momentum[winner.Id], projected[winner.Id]),
                outlook.ConfidenceLevel,
                total == 0 ? summary.Revenue.Total : Math.Round(summary.Revenue.Total * outlook.EstimatedTotalVotes / total, 2, MidpointRounding.AwayFromZero),
                [.. outlook.Contestants.Select(o => new WinProbabilityDto(o.Contestant.Value, o.WinProbability))]);
        }

        var hours = d.Hours.Where(h => h.Votes != 0).Select(h => new HourVotesDto(h.Hour, h.Votes)).ToList();
        var peak = hours.OrderByDescending(h => h.Votes).ThenBy(h => h.Hour).FirstOrDefault();
        var timeline = new TimelineDto(hours, [.. VoteRates.Timeline(d.Minutes).Select(m => new MinuteVotesDto(m.Time, m.Votes, m.Rate))],
            peak?.Hour, peak?.Votes ?? 0, VoteRates.Velocity(d.Minutes, now));

        var a = d.Audience;
        var demographics = new DemographicsDto(a.ByTier, a.ByAgeGroup, a.ByGender, new NewVsReturningDto(a.New, a.Returning), a.AverageLoyaltyPoints);
        var split = Regions.Split(a.VotesByProvince);
        var geographic = new GeographicDto(a.VotesByProvince.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal),
            [.. Regions.Top(a.VotesByProvince).Select(kv => new ProvinceVotesDto(kv.Key, kv.Value))],
            new UrbanVsRuralDto(split.Urban, split.Rural, split.UrbanPercentage));

        var payments = new PaymentMethodsDto(ByType(d.ByType),
            d.Packages.ByAmountCents.OrderBy(kv => kv.Key).ToDictionary(kv => (kv.Key / 100m).ToString("0.00", CultureInfo.InvariantCulture), kv => kv.Value, StringComparer.Ordinal),
            Percent(d.Packages.BuyersWhoVoted, d.UniqueVoters), Ratio(packageRevenue, d.Packages.Purchases));

        return new AnalyticsDto(summary, timeline, demographics, geographic, payments, contestants, predictions);
    }

    /// <summary>Votes of every type, keyed by wire name (types without votes as 0).</summary>
    private static Dictionary<string, long> ByType(IEnumerable<TypeVotes> votes)
    {
        var list = votes.ToList();
        return VoteTypes.All.ToDictionary(t => t.ToWire(), t => list.Where(v => v.Type == t).Sum(v => v.Votes), StringComparer.Ordinal);
    }

    private static List<HourVotesDto> Hourly(IEnumerable<MinuteVotes> minutes) =>
        [.. minutes.GroupBy(m => Math.DivRem(m.Minute, 60, out var r) - (r < 0 ? 1 : 0)).Select(g => (Hour: g.Key, Votes: g.Sum(m => m.Votes)))
            .Where(x => x.Votes != 0).OrderBy(x => x.Hour).Select(x => new HourVotesDto(DateTimeOffset.FromUnixTimeMilliseconds(x.Hour * 3_600_000), x.Votes))];

    private static decimal Ratio(decimal part, long whole) => whole == 0 ? 0m : Math.Round(part / whole, 2, MidpointRounding.AwayFromZero);

    private static decimal Percent(long part, long whole) => whole == 0 ? 0m : Math.Round(part * 100m / whole, 2, MidpointRounding.AwayFromZero);
}
