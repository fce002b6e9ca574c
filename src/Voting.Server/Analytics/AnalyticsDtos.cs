namespace Voting.Server.Analytics;

public sealed record RevenueDto(decimal Sms, decimal PaidPackages, decimal Total);

public sealed record SummaryDto(long TotalVotes, long UniqueVoters, decimal AverageVotesPerUser, RevenueDto Revenue, decimal EngagementRate);

public sealed record HourVotesDto(DateTimeOffset Hour, long Votes);

public sealed record MinuteVotesDto(DateTimeOffset Time, long Votes, decimal Rate);

public sealed record TimelineDto(IReadOnlyList<HourVotesDto> HourlyVotes, IReadOnlyList<MinuteVotesDto> PerMinute, DateTimeOffset? PeakHour, long PeakVotes,
    decimal VotingVelocity);

public sealed record NewVsReturningDto(long New, long Returning);

public sealed record DemographicsDto(IReadOnlyDictionary<string, long> ByTier, IReadOnlyDictionary<string, long> ByAgeGroup,
    IReadOnlyDictionary<string, long> ByGender, NewVsReturningDto NewVsReturning, decimal AverageLoyaltyPoints);

public sealed record ProvinceVotesDto(string Province, long Votes);

public sealed record UrbanVsRuralDto(long Urban, long Rural, decimal UrbanPercentage);

public sealed record GeographicDto(IReadOnlyDictionary<string, long> ByProvince, IReadOnlyList<ProvinceVotesDto> TopProvinces, UrbanVsRuralDto UrbanVsRural);

/// <param name="ByType">Votes per vote type.</param>
/// <param name="ByAmount">Package purchases per amount paid (USD, two decimals, as text).</param>
/// <param name="ConversionRate">Percent of the episode's voters who bought a package in the voting window.</param>
/// <param name="AveragePurchase">Package revenue per purchase (USD).</param>
public sealed record PaymentMethodsDto(IReadOnlyDictionary<string, long> ByType, IReadOnlyDictionary<string, long> ByAmount, decimal ConversionRate,
    decimal AveragePurchase);

public sealed record ContestantAnalysisDto(long ContestantId, string Name, long TotalVotes, long UniqueVoters, IReadOnlyDictionary<string, long> VoteSources,
    IReadOnlyList<HourVotesDto> HourlyTrend, decimal MomentumScore, int PredictedRank);

public sealed record ProjectedWinnerDto(long ContestantId, string Name, long CurrentVotes, decimal Momentum, long ProjectedVotes);

public sealed record WinProbabilityDto(long ContestantId, decimal Probability);

public sealed record PredictionsDto(long EstimatedTotalVotes, ProjectedWinnerDto? ProjectedWinner, int ConfidenceLevel, decimal EstimatedRevenue,
    IReadOnlyList<WinProbabilityDto> WinProbability);

/// <summary>The post-show report (the seed's <c>generate_report</c>); <see cref="Predictions"/> is null unless voting is open.</summary>
public sealed record AnalyticsDto(SummaryDto Summary, TimelineDto Timeline, DemographicsDto Demographics, GeographicDto Geographic,
    PaymentMethodsDto PaymentMethods, IReadOnlyList<ContestantAnalysisDto> ContestantAnalysis, PredictionsDto? Predictions);
