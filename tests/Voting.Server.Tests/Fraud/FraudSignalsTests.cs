using Voting.Server.Fraud;

namespace Voting.Server.Tests.Fraud;

/// <summary>The in-memory history the rules read: what it remembers, and what it forgets.</summary>
public sealed class FraudSignalsTests
{
    [Fact]
    public void Attempts_come_back_oldest_first_and_only_the_last_sixteen_are_kept()
    {
        var s = new FraudSignals();
        long[] times = [];
        for (var i = 1; i <= 20; i++) (_, times) = s.Attempt(7, i * 1000L);

        Assert.Equal(Enumerable.Range(5, 16).Select(i => i * 1000L), times);
        Assert.Equal([1000L], s.Attempt(8, 1000).AttemptTimesMs);
    }

    [Fact]
    public void Velocity_counts_the_votes_accepted_in_the_minute_before_the_attempt_and_no_earlier()
    {
        var s = new FraudSignals();
        s.Accepted(7, 0, 30);
        s.Accepted(7, 30_000, 15);
        s.Accepted(8, 30_000, 100); // another voter

        Assert.Equal(45, s.Attempt(7, 59_999).RecentVotes);
        Assert.Equal(15, s.Attempt(7, 60_000).RecentVotes);  // the first vote is exactly a minute old: out
        Assert.Equal(0, s.Attempt(7, 90_000).RecentVotes);
    }

    [Fact]
    public void A_device_counts_distinct_voters_per_episode_this_voter_included()
    {
        var s = new FraudSignals();
        foreach (var voter in new long[] { 1, 2, 2, 3 }) s.DeviceUsed(10, "phone", voter, 0);

        Assert.Equal(3, s.VotersOnDevice(10, "phone", 1));
        Assert.Equal(4, s.VotersOnDevice(10, "phone", 4));
        Assert.Equal(1, s.VotersOnDevice(11, "phone", 4));   // another episode
        Assert.Equal(0, s.VotersOnDevice(10, null, 4));      // no device id: the rule cannot apply
        Assert.Equal(0, s.VotersOnDevice(10, "", 4));
    }

    [Fact]
    public void Sweeping_forgets_idle_voters_and_keeps_active_ones()
    {
        var s = new FraudSignals();
        s.Attempt(1, 0);
        s.Attempt(2, 600_000);
        s.AttemptByNumber("012345678", 0);

        var removed = s.Sweep(nowMs: 900_001, idleMs: 900_000);

        Assert.Equal(2, removed);
        Assert.Equal(1, s.TrackedVoters);
        Assert.Equal([600_000L, 900_001L], s.Attempt(2, 900_001).AttemptTimesMs);
    }
}
