using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.Outbox;

/// <summary>Leasing, completing, dead-lettering and retrying outbox rows, on one node or several.</summary>
public abstract class OutboxContractTests(StoreKind kind) : VotingStoreContractTests(kind)
{
    private static readonly string[] SmsOnly = [OutboxKinds.Sms];
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ALeasedRowIsNotLeasedAgainUntilItsLeaseRunsOut()
    {
        await IssueCodesAsync(1);
        var first = Assert.Single(await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct));

        Assert.Empty(await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct));
        Clock.Advance(Lease);
        var again = Assert.Single(await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct));

        Assert.Equal((first.Id, first.IdempotencyKey, 1, 2), (again.Id, again.IdempotencyKey, first.Attempts, again.Attempts));
        Assert.StartsWith("otp-", first.IdempotencyKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyTheAskedKindsAreLeasedOldestFirstUpToTheLimit()
    {
        await IssueCodesAsync(5);

        Assert.Empty(await Store.LeaseOutboxAsync([OutboxKinds.Charge], 10, Lease, Ct));
        var three = await Store.LeaseOutboxAsync(SmsOnly, 3, Lease, Ct);
        var rest = await Store.LeaseOutboxAsync([OutboxKinds.Charge, OutboxKinds.Sms], 10, Lease, Ct);

        Assert.Equal(3, three.Count);
        Assert.Equal(2, rest.Count);
        Assert.True(three.Max(m => m.Id) < rest.Min(m => m.Id));
    }

    [Fact]
    public async Task TheRowDueLongestIsLeasedFirstWhateverItsId()
    {
        await IssueCodesAsync(2);
        var items = await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct);
        var start = Clock.GetUtcNow();
        await Store.CompleteOutboxAsync(
        [
            new OutboxCompletion(items[0].Id, OutboxOutcome.Retry, start.AddSeconds(10), "HTTP 503"),
            new OutboxCompletion(items[1].Id, OutboxOutcome.Retry, start.AddSeconds(2), "HTTP 503"),
        ], Ct);
        Clock.Advance(TimeSpan.FromSeconds(20));
        await IssueCodesAsync(1);

        var first = Assert.Single(await Store.LeaseOutboxAsync(SmsOnly, 1, Lease, Ct));
        var second = Assert.Single(await Store.LeaseOutboxAsync(SmsOnly, 1, Lease, Ct));
        var third = Assert.Single(await Store.LeaseOutboxAsync(SmsOnly, 1, Lease, Ct));

        Assert.Equal([items[1].Id, items[0].Id], [first.Id, second.Id]);
        Assert.True(third.Id > items[1].Id);
    }

    [Fact]
    public async Task AnUnsentRowIsDueAgainAtOnceWithItsAttemptGivenBack()
    {
        await IssueCodesAsync(1);
        var item = Assert.Single(await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct));

        await Store.CompleteOutboxAsync([new OutboxCompletion(item.Id, OutboxOutcome.Unsent, LeasedAttempts: item.Attempts)], Ct);

        var again = Assert.Single(await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct));
        Assert.Equal((item.Id, 1, 1), (again.Id, item.Attempts, again.Attempts));
    }

    [Fact]
    public async Task AnUnsentRowLeasedAgainElsewhereIsNotGivenBack()
    {
        await IssueCodesAsync(1);
        var item = Assert.Single(await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct));
        Clock.Advance(Lease);
        var other = Assert.Single(await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct)); // the first lease ran out

        await Store.CompleteOutboxAsync([new OutboxCompletion(item.Id, OutboxOutcome.Unsent, LeasedAttempts: item.Attempts)], Ct);

        Assert.Empty(await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct)); // still the second dispatcher's
        var pending = Assert.Single(await Store.ListOutboxAsync(OutboxStatuses.Pending, null, 10, Ct));
        Assert.Equal((2, 2), (other.Attempts, pending.Attempts));
    }

    [Fact]
    public async Task ADeliveredRowIsNeverLeasedAgain()
    {
        await IssueCodesAsync(1);
        var item = Assert.Single(await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct));

        await Store.CompleteOutboxAsync([new OutboxCompletion(item.Id, OutboxOutcome.Delivered)], Ct);
        Clock.Advance(TimeSpan.FromHours(1));

        Assert.Empty(await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct));
        var delivered = Assert.Single(await Store.ListOutboxAsync(OutboxStatuses.Delivered, null, 10, Ct));
        Assert.Equal((item.Id, 1), (delivered.Id, delivered.Attempts));
        Assert.NotNull(delivered.DeliveredAt);
    }

    [Fact]
    public async Task ARetryIsDueAtItsTimeWithTheErrorKept()
    {
        await IssueCodesAsync(1);
        var item = Assert.Single(await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct));

        await Store.CompleteOutboxAsync([new OutboxCompletion(item.Id, OutboxOutcome.Retry, Clock.GetUtcNow().AddSeconds(4), "HTTP 503")], Ct);

        Clock.Advance(TimeSpan.FromSeconds(3));
        Assert.Empty(await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct));
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, Assert.Single(await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct)).Attempts);
        Assert.Equal("HTTP 503", Assert.Single(await Store.ListOutboxAsync(OutboxStatuses.Pending, OutboxKinds.Sms, 10, Ct)).LastError);
    }

    [Fact]
    public async Task ADeadLetterWaitsForAnOperatorAndComesBackWithFreshAttempts()
    {
        await IssueCodesAsync(2);
        var items = await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct);
        await Store.CompleteOutboxAsync([new OutboxCompletion(items[0].Id, OutboxOutcome.Dead, Error: "HTTP 400")], Ct);
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(items[1].Id, Assert.Single(await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct)).Id);

        var dead = Assert.Single(await Store.ListOutboxAsync(OutboxStatuses.Dead, null, 10, Ct));
        var retried = await Store.RetryOutboxAsync(dead.Id, Ct);
        var twice = await Store.RetryOutboxAsync(dead.Id, Ct);
        var missing = await Store.RetryOutboxAsync(dead.Id + 1000, Ct);

        Assert.Equal((items[0].Id, "HTTP 400"), (dead.Id, dead.LastError));
        Assert.Equal((OutboxRetryStatus.Ok, OutboxRetryStatus.NotDead, OutboxRetryStatus.NotFound), (retried, twice, missing));
        var back = Assert.Single(await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct));
        Assert.Equal((dead.Id, 1), (back.Id, back.Attempts));
        Assert.Empty(await Store.ListOutboxAsync(OutboxStatuses.Dead, null, 10, Ct));
    }

    [Fact]
    public async Task ConcurrentDispatchersOnSeveralNodesNeverLeaseTheSameRow()
    {
        await IssueCodesAsync(40);
        var nodes = Kind == StoreKind.Postgres ? new[] { Store, NewStore(1), NewStore(2) } : [Store];

        var leases = await Task.WhenAll(Enumerable.Range(0, 9).Select(i =>
            Task.Run(() => nodes[i % nodes.Length].LeaseOutboxAsync(SmsOnly, 6, Lease, Ct), Ct)));

        // A dispatcher that loses a row to another lease just gets fewer; what no one got is still there.
        var ids = leases.SelectMany(l => l).Select(m => m.Id).ToList();
        var rest = (await Store.LeaseOutboxAsync(SmsOnly, 100, Lease, Ct)).Select(m => m.Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.NotEmpty(ids);
        Assert.Empty(ids.Intersect(rest));
        Assert.Equal(40, ids.Count + rest.Count);
    }

    [Fact]
    public async Task ACompletionAfterTheRowWasDeliveredElsewhereChangesNothing()
    {
        await IssueCodesAsync(1);
        var item = Assert.Single(await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct));
        await Store.CompleteOutboxAsync([new OutboxCompletion(item.Id, OutboxOutcome.Delivered)], Ct);

        await Store.CompleteOutboxAsync([new OutboxCompletion(item.Id, OutboxOutcome.Dead, Error: "late failure")], Ct);

        Assert.Empty(await Store.ListOutboxAsync(OutboxStatuses.Dead, null, 10, Ct));
        Assert.Single(await Store.ListOutboxAsync(OutboxStatuses.Delivered, null, 10, Ct));
    }

    [Fact]
    public async Task ManyResultsAreRecordedInOneCall()
    {
        await IssueCodesAsync(6);
        var items = await Store.LeaseOutboxAsync(SmsOnly, 10, Lease, Ct);

        await Store.CompleteOutboxAsync(
        [
            new OutboxCompletion(items[0].Id, OutboxOutcome.Delivered), new OutboxCompletion(items[1].Id, OutboxOutcome.Retry, Clock.GetUtcNow().AddMinutes(1), "HTTP 500"),
            new OutboxCompletion(items[2].Id, OutboxOutcome.Delivered), new OutboxCompletion(items[3].Id, OutboxOutcome.Dead, Error: "HTTP 404"),
            new OutboxCompletion(items[5].Id, OutboxOutcome.Delivered),
        ], Ct);

        Assert.Equal([items[5].Id, items[2].Id, items[0].Id], (await Store.ListOutboxAsync(OutboxStatuses.Delivered, null, 10, Ct)).Select(e => e.Id));
        Assert.Equal(items[3].Id, Assert.Single(await Store.ListOutboxAsync(OutboxStatuses.Dead, null, 10, Ct)).Id);
        var pending = await Store.ListOutboxAsync(OutboxStatuses.Pending, null, 10, Ct);
        Assert.Equal([items[4].Id, items[1].Id], pending.Select(e => e.Id));
        Assert.Equal(Clock.GetUtcNow().AddMinutes(1), pending[1].NextAttemptAt);
    }

    private async Task IssueCodesAsync(int count)
    {
        for (var i = 0; i < count; i++) Assert.True(await Store.IssueCodeAsync(Code(NewPhone(), "hash"), Ct));
    }
}

public sealed class SqliteOutboxContractTests() : OutboxContractTests(StoreKind.Sqlite);

public sealed class PostgresOutboxContractTests() : OutboxContractTests(StoreKind.Postgres);
