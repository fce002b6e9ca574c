using Voting.Domain.Voting;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.Voting;

/// <summary>Every limit holds inside one batch, where no earlier commit can help it.</summary>
public abstract class VoteLimitsContractTests(StoreKind kind) : VotingStoreContractTests(kind)
{
    [Fact]
    public async Task EightFreeVotesInOneBatchAcceptExactlyFive()
    {
        var show = await OpenShowAsync();
        var voter = await SignInAsync();

        var outcomes = await CommitAsync([.. Enumerable.Range(0, 8).Select(i => Vote(voter, show.Contestants[i % 3]))]);

        // Counters in an outcome are the voter's after the whole batch.
        Assert.All(outcomes.Take(5), o => Assert.Equal(0, Accepted(o).Counters.FreeVotesRemaining));
        Assert.Equal(5, outcomes.Take(5).Select(o => Accepted(o).VoteId).Distinct().Count());
        Assert.All(outcomes.Skip(5), o => AssertRefused(o, VoteRefusal.FreeVoteLimitExceeded, remaining: 0));
        Assert.Equal(5, await VoteRowsAsync(show.Episode));
        Assert.Equal(5, (await SummaryAsync(voter, show.Episode)).FreeVotesUsed);
    }

    [Fact]
    public async Task FreeVotesAreCountedPerEpisode()
    {
        var show = await OpenShowAsync();
        var voter = await SignInAsync();
        Accepted(await CommitOneAsync(Vote(voter, show.Contestants[0], count: 5)));
        AssertRefused(await CommitOneAsync(Vote(voter, show.Contestants[0])), VoteRefusal.FreeVoteLimitExceeded, remaining: 0);
        Clock.Advance(TimeSpan.FromHours(2));
        var (next, lineup) = await CreateEpisodeAsync(show.Season, 2, 2);
        Assert.Equal(WindowStatus.Ok, (await Store.OpenVotingAsync(next, TimeSpan.FromHours(1), Ct)).Status);

        Assert.Equal(3, Accepted(await CommitOneAsync(Vote(voter, lineup[0], count: 2))).Counters.FreeVotesRemaining);
        Assert.Equal(5, (await SummaryAsync(voter, show.Episode)).FreeVotesUsed);
        Assert.Equal(2, (await SummaryAsync(voter, next)).FreeVotesUsed);
    }

    [Fact]
    public async Task AFreeVoteLargerThanWhatIsLeftIsRefusedWithWhatIsLeft()
    {
        var show = await OpenShowAsync();
        var voter = await SignInAsync();

        var outcomes = await CommitAsync(Vote(voter, show.Contestants[0], count: 3), Vote(voter, show.Contestants[1], count: 3), Vote(voter, show.Contestants[1], count: 6));

        Assert.Equal(2, Accepted(outcomes[0]).Counters.FreeVotesRemaining);
        AssertRefused(outcomes[1], VoteRefusal.FreeVoteLimitExceeded, remaining: 2);
        AssertRefused(outcomes[2], VoteRefusal.FreeVoteLimitExceeded, remaining: 2);
    }

    [Fact]
    public async Task PaidVotesInOneBatchStopExactlyAtTheBalance()
    {
        var show = await OpenShowAsync();
        var voter = await SignInWithPaidVotesAsync(7);

        var outcomes = await CommitAsync(
            Vote(voter, show.Contestants[0], VoteType.Paid, 3),
            Vote(voter, show.Contestants[1], VoteType.Paid, 3),
            Vote(voter, show.Contestants[2], VoteType.Paid, 3),
            Vote(voter, show.Contestants[2], VoteType.Paid, 1),
            Vote(voter, show.Contestants[2], VoteType.Paid, 1));

        Assert.All(outcomes.Take(2), o => Accepted(o));
        AssertRefused(outcomes[2], VoteRefusal.InsufficientVoteBalance, remaining: 0);
        Accepted(outcomes[3]);
        AssertRefused(outcomes[4], VoteRefusal.InsufficientVoteBalance, remaining: 0);
        var summary = await SummaryAsync(voter, show.Episode);
        Assert.Equal((0L, 7L), (summary.VoteBalance, summary.PaidVotesCast));
        Assert.Equal(7, await Database.CountAsync("SELECT COALESCE(SUM(vote_count), 0) FROM votes WHERE voter_id = $1 AND vote_type = 'paid'", voter.Value));
    }

    [Fact]
    public async Task BundleVotesDrawFromTheOldestBundleWithEnoughVotes()
    {
        var show = await OpenShowAsync();
        var voter = await SignInAsync();
        var (small, _) = (await Store.GrantBundleAsync(voter, 2, "promo", Ct))!.Value;
        var (large, _) = (await Store.GrantBundleAsync(voter, 5, "purchase", Ct))!.Value;

        var outcomes = await CommitAsync(
            Vote(voter, show.Contestants[0], VoteType.Bundle, 3),
            Vote(voter, show.Contestants[0], VoteType.Bundle, 2),
            Vote(voter, show.Contestants[0], VoteType.Bundle, 1),
            Vote(voter, show.Contestants[0], VoteType.Bundle, 3));

        var drawn = new List<long>();
        foreach (var o in outcomes.Take(3))
            drawn.Add(Convert.ToInt64((await Database.QueryAsync("SELECT bundle_id FROM votes WHERE id = $1", Accepted(o).VoteId))[0][0]));
        Assert.Equal([large, small, large], drawn);
        AssertRefused(outcomes[3], VoteRefusal.InsufficientBundleVotes, remaining: 1);
        var remaining = await Database.QueryAsync("SELECT id, remaining_votes FROM bundles WHERE voter_id = $1 ORDER BY id", voter.Value);
        Assert.Equal([(small, 0L), (large, 1L)], remaining.Select(r => (Convert.ToInt64(r[0]), Convert.ToInt64(r[1]))).ToArray());
        Assert.Equal(1, (await SummaryAsync(voter)).BundleVotes);
    }

    [Fact]
    public async Task SmsVotesStopAtFiftyAPhnomPenhDayAndTheLimitResetsAtSeventeenUtc()
    {
        Clock.Set(new DateTimeOffset(2025, 6, 14, 16, 30, 0, TimeSpan.Zero));
        var show = await OpenShowAsync();
        var voter = await SignInAsync();
        Clock.Set(new DateTimeOffset(2025, 6, 14, 16, 59, 59, TimeSpan.Zero));

        var evening = await CommitAsync(
            Vote(voter, show.Contestants[0], VoteType.Sms, 10),
            Vote(voter, show.Contestants[0], VoteType.Sms, 30),
            Vote(voter, show.Contestants[1], VoteType.Sms, 9),
            Vote(voter, show.Contestants[1], VoteType.Sms, 2),
            Vote(voter, show.Contestants[1], VoteType.Sms, 1),
            Vote(voter, show.Contestants[1], VoteType.Sms, 1));

        Assert.All(evening.Take(3), o => Accepted(o));
        AssertRefused(evening[3], VoteRefusal.SmsLimitExceeded, remaining: 0);
        Assert.Equal(0, Accepted(evening[4]).Counters.SmsVotesAvailable);
        AssertRefused(evening[5], VoteRefusal.SmsLimitExceeded, remaining: 0);
        Assert.Equal(50, (await SummaryAsync(voter)).SmsVotesToday);

        Clock.Set(new DateTimeOffset(2025, 6, 14, 17, 0, 0, TimeSpan.Zero));

        Assert.Equal(49, Accepted(await CommitOneAsync(Vote(voter, show.Contestants[1], VoteType.Sms))).Counters.SmsVotesAvailable);
        Assert.Equal(1, (await SummaryAsync(voter)).SmsVotesToday);
        var days = await Database.QueryAsync("SELECT day, used FROM voter_daily_sms WHERE voter_id = $1 ORDER BY day", voter.Value);
        Assert.Equal([("2025-06-14", 50L), ("2025-06-15", 1L)], days.Select(r => ((string)r[0]!, Convert.ToInt64(r[1]))).ToArray());
    }

    [Fact]
    public async Task EachSmsVoteChargesItsCarrierAtTheCarriersPrice()
    {
        var store = NewStore(configure: o => o.SmsPriceCents["cellcard"] = 30);
        var show = await OpenShowAsync();
        var cellcard = await SignInAsync(NewPhone("012"));
        var smart = await SignInAsync(NewPhone("010"));

        var outcomes = await store.CommitVotesAsync(
        [
            Vote(cellcard, show.Contestants[0], VoteType.Sms, 3),
            Vote(smart, show.Contestants[1], VoteType.Sms, 2),
            Vote(smart, show.Contestants[1], VoteType.Free),
        ], Ct);

        var charges = await Database.QueryAsync(
            "SELECT vote_id, voter_id, carrier, amount_cents, currency, status FROM carrier_charges ORDER BY vote_id");
        Assert.Equal(
            [
                (Accepted(outcomes[0]).VoteId, cellcard.Value, "cellcard", 90L, "USD", "pending"),
                (Accepted(outcomes[1]).VoteId, smart.Value, "smart", 50L, "USD", "pending"),
            ],
            charges.Select(r => (Convert.ToInt64(r[0]), Convert.ToInt64(r[1]), (string)r[2]!, Convert.ToInt64(r[3]), (string)r[4]!, (string)r[5]!)).ToArray());
        var votes = await Database.QueryAsync("SELECT amount_cents, currency, payment_method FROM votes WHERE id = $1", Accepted(outcomes[0]).VoteId);
        Assert.Equal((90L, "USD", "carrier"), (Convert.ToInt64(votes[0][0]), (string)votes[0][1]!, (string)votes[0][2]!));
    }

    [Fact]
    public async Task LoyaltyPointsAreTwoPerVoteAndOneAndAHalfTimesThatForPaidVotes()
    {
        var show = await OpenShowAsync();
        var voter = await SignInWithPaidVotesAsync(10);
        await Store.GrantBundleAsync(voter, 4, "promo", Ct);

        var outcomes = await CommitAsync(
            Vote(voter, show.Contestants[0], count: 2),
            Vote(voter, show.Contestants[0], VoteType.Paid, 1),
            Vote(voter, show.Contestants[1], VoteType.Paid, 3),
            Vote(voter, show.Contestants[1], VoteType.Bundle, 4),
            Vote(voter, show.Contestants[1], VoteType.Sms, 1),
            Vote(voter, show.Contestants[1], VoteType.Paid, 100));

        Assert.Equal([4, 3, 9, 8, 2], outcomes.Take(5).Select(o => Accepted(o).LoyaltyPointsEarned).ToArray());
        AssertRefused(outcomes[5], VoteRefusal.InsufficientVoteBalance, remaining: 6);
        Assert.Equal(26, (await SummaryAsync(voter)).LoyaltyPoints);
        Assert.Equal(26, await Database.CountAsync("SELECT SUM(loyalty_points) FROM votes WHERE voter_id = $1", voter.Value));
    }
}

public sealed class SqliteVoteLimitsContractTests() : VoteLimitsContractTests(StoreKind.Sqlite);

public sealed class PostgresVoteLimitsContractTests() : VoteLimitsContractTests(StoreKind.Postgres);
