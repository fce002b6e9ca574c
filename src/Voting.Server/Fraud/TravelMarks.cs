using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Voting.Storage.Fraud;

namespace Voting.Server.Fraud;

/// <summary>
/// Voters an operator marked as travelling, in memory for the vote path. The node that takes the
/// mark knows it at once; the others reload every <c>Fraud:TravelRefreshSeconds</c>.
/// </summary>
public sealed class TravelMarks(IFraudStore store, IOptions<FraudOptions> options, TimeProvider time, ILogger<TravelMarks> logger) : BackgroundService
{
    private volatile ConcurrentDictionary<long, long> _until = new();

    public bool IsTravelling(long voter, long nowMs) => _until.TryGetValue(voter, out var until) && until > nowMs;

    public void Set(long voter, DateTimeOffset until) => _until[voter] = until.ToUnixTimeMilliseconds();

    public async Task ReloadAsync(CancellationToken ct)
    {
        var marks = await store.GetTravelMarksAsync(time.GetUtcNow().ToUnixTimeMilliseconds(), ct);
        _until = new ConcurrentDictionary<long, long>(marks);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.TravelRefreshSeconds), time);
        do
        {
            try
            {
                await ReloadAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                FraudLog.TravelReloadFailed(logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
