using System.Diagnostics;

namespace Voting.LoadTest.Tests;

public sealed class LoadPlanTests
{
    [Fact]
    public async Task EachServerGetsAnEqualShareOfTheRateOnItsOwnSchedule()
    {
        // A one-second window long past: every slot is due at once, so only the count of slots matters.
        var start = Stopwatch.GetTimestamp() - (10 * Stopwatch.Frequency);
        var plan = new LoadPlan
        {
            CastVoteUris = [new Uri("http://127.0.0.1:5000/v"), new Uri("http://127.0.0.1:5001/v"), new Uri("http://127.0.0.1:5002/v")],
            Bodies = [],
            Voters = [new Voter(1, "Bearer x")],
            VoteCount = 1,
            Seed = 1,
            RequestsPerSecond = 300,
            Start = start,
            MeasureStart = start,
            End = start + Stopwatch.Frequency,
        };

        var slots = new int[3];
        for (var target = 0; target < 3; target++)
        {
            while (await plan.WaitTurnAsync(target, CancellationToken.None)) slots[target]++;
        }

        Assert.Equal([100, 100, 100], slots);
        Assert.Equal([0, 1, 2, 0], Enumerable.Range(0, 4).Select(i => new VoteWorker(i, plan, null!).Target));
    }
}
