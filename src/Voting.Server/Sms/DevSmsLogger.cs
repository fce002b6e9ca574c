using System.Text.Json;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Sms;

/// <summary>
/// In Development there is no carrier to send SMS through: outbox messages are written to the
/// log and marked delivered, so a developer can read sign-in codes there.
/// </summary>
public sealed class DevSmsLogger(IVotingStore store, ILogger<DevSmsLogger> logger, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                foreach (var m in await store.ClaimOutboxAsync("sms", 200, stoppingToken))
                {
                    var message = JsonDocument.Parse(m.Payload).RootElement.GetProperty("message").GetString() ?? "";
                    Log.DevSms(logger, m.Recipient, message);
                    await store.MarkOutboxDeliveredAsync(m.Id, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
