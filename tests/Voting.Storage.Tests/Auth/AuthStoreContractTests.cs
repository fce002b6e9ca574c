using Voting.Domain;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.Auth;

/// <summary>One-time codes sign voters in; wallet credits apply once per idempotency key.</summary>
public abstract class AuthStoreContractTests(StoreKind kind) : VotingStoreContractTests(kind)
{
    [Fact]
    public async Task APhoneGetsFiveCodesAnHourAndThenNone()
    {
        var phone = NewPhone();

        for (var i = 0; i < 5; i++)
        {
            Assert.True(await Store.IssueCodeAsync(Code(phone, $"hash-{i}"), Ct));
            Clock.Advance(TimeSpan.FromMinutes(1));
        }
        Assert.False(await Store.IssueCodeAsync(Code(phone, "hash-5"), Ct));
        Assert.True(await Store.IssueCodeAsync(Code(NewPhone(), "hash-other"), Ct));

        Clock.Set(ShowNight.AddHours(1).AddMilliseconds(1));
        Assert.True(await Store.IssueCodeAsync(Code(phone, "hash-6"), Ct));
    }

    [Fact]
    public async Task ConcurrentRequestsForCodesStillGetFive()
    {
        var phone = NewPhone();

        var issued = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() => Store.IssueCodeAsync(Code(phone, $"hash-{i}"), Ct), Ct)));

        Assert.Equal(5, issued.Count(i => i));
        Assert.Equal(5, await Database.CountAsync("SELECT COUNT(*) FROM outbox WHERE recipient = $1", phone));
    }

    [Fact]
    public async Task EachIssuedCodeQueuesItsSms()
    {
        var phone = NewPhone();

        Assert.True(await Store.IssueCodeAsync(Code(phone, "hash-1"), Ct));

        var sms = Assert.Single(await Store.LeaseOutboxAsync([SmsPayload.Kind], 10, TimeSpan.FromSeconds(30), Ct));
        Assert.Equal((phone, OutboxKinds.Sms), (sms.Recipient, sms.Kind));
        Assert.True(OutboxJson.TryRead<SmsPayload>(sms.Payload, out var payload));
        Assert.Contains("Your XFactor code", payload.Message, StringComparison.Ordinal);
        // A code goes to the carrier of the phone's prefix, from the configured short code.
        Assert.Equal((null, null), (payload.Carrier, payload.From));
    }

    [Fact]
    public async Task FiveWrongGuessesKillTheCode()
    {
        var phone = NewPhone();
        Assert.True(await Store.IssueCodeAsync(Code(phone, "hash-right"), Ct));

        for (var i = 0; i < 5; i++) Assert.Equal(CodeCheckStatus.Invalid, (await Store.VerifyCodeAsync(phone, "hash-wrong", 5, Ct)).Status);

        Assert.Equal(CodeCheckStatus.Invalid, (await Store.VerifyCodeAsync(phone, "hash-right", 5, Ct)).Status);
    }

    [Fact]
    public async Task ConcurrentWrongGuessesGetNoMoreThanFiveChecks()
    {
        var phone = NewPhone();
        Assert.True(await Store.IssueCodeAsync(Code(phone, "hash-right"), Ct));

        var checks = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Task.Run(() => Store.VerifyCodeAsync(phone, $"hash-wrong-{i}", 5, Ct), Ct)));

        Assert.All(checks, c => Assert.Equal(CodeCheckStatus.Invalid, c.Status));
        // attempts counts the guesses compared with the code: a guess racing the fifth must not get a sixth look.
        var code = Assert.Single(await Database.QueryAsync("SELECT attempts, status FROM one_time_codes WHERE phone = $1", phone));
        Assert.Equal((5L, "dead"), (Convert.ToInt64(code[0]), (string)code[1]!));
        Assert.Equal(CodeCheckStatus.Invalid, (await Store.VerifyCodeAsync(phone, "hash-right", 5, Ct)).Status);
    }

    [Fact]
    public async Task FourWrongGuessesLeaveTheCodeGood()
    {
        var phone = NewPhone();
        Assert.True(await Store.IssueCodeAsync(Code(phone, "hash-right"), Ct));

        for (var i = 0; i < 4; i++) Assert.Equal(CodeCheckStatus.Invalid, (await Store.VerifyCodeAsync(phone, "hash-wrong", 5, Ct)).Status);

        Assert.Equal(CodeCheckStatus.Ok, (await Store.VerifyCodeAsync(phone, "hash-right", 5, Ct)).Status);
    }

    [Fact]
    public async Task ACodeWorksOnceAndNotAfterItExpires()
    {
        var phone = NewPhone();
        Assert.True(await Store.IssueCodeAsync(Code(phone, "hash-1"), Ct));
        Assert.Equal(CodeCheckStatus.Ok, (await Store.VerifyCodeAsync(phone, "hash-1", 5, Ct)).Status);
        Assert.Equal(CodeCheckStatus.Invalid, (await Store.VerifyCodeAsync(phone, "hash-1", 5, Ct)).Status);

        Assert.True(await Store.IssueCodeAsync(Code(phone, "hash-2"), Ct));
        Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(CodeCheckStatus.Invalid, (await Store.VerifyCodeAsync(phone, "hash-2", 5, Ct)).Status);
    }

    [Fact]
    public async Task OnlyTheNewestCodeOfAPhoneWorks()
    {
        var phone = NewPhone();
        Assert.True(await Store.IssueCodeAsync(Code(phone, "hash-old"), Ct));
        Assert.True(await Store.IssueCodeAsync(Code(phone, "hash-new"), Ct));

        Assert.Equal(CodeCheckStatus.Invalid, (await Store.VerifyCodeAsync(phone, "hash-old", 5, Ct)).Status);
        Assert.Equal(CodeCheckStatus.Ok, (await Store.VerifyCodeAsync(phone, "hash-new", 5, Ct)).Status);
    }

    [Fact]
    public async Task SigningInAgainFindsTheSameVoter()
    {
        var phone = NewPhone();

        var first = await SignInAsync(phone);
        Clock.Advance(TimeSpan.FromDays(1));
        var second = await SignInAsync(phone);

        Assert.Equal(first, second);
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM voters WHERE phone = $1", phone));
        var summary = await SummaryAsync(first);
        Assert.Equal((phone, true, 0L), (summary.Phone, summary.PhoneVerified, summary.VoteBalance));
    }

    [Fact]
    public async Task TheSameCreditTwiceCreditsOnce()
    {
        var voter = await SignInAsync();

        Assert.Equal(10, await Store.CreditVotesAsync(voter, 10, "purchase", "pack of 10", "store-tx-1", Ct));
        Assert.Equal(10, await Store.CreditVotesAsync(voter, 10, "purchase", "pack of 10", "store-tx-1", Ct));
        Assert.Equal(15, await Store.CreditVotesAsync(voter, 5, "purchase", null, "store-tx-2", Ct));

        Assert.Equal(15, (await SummaryAsync(voter)).VoteBalance);
        var credits = await Store.GetRecentCreditsAsync(voter, 10, Ct);
        Assert.Equal([5L, 10L], credits.Select(c => c.Amount));
        Assert.Equal("pack of 10", credits[1].Reason);
    }

    [Fact]
    public async Task TheSameCreditOnEveryNodeAtOnceCreditsOnce()
    {
        var voter = await SignInAsync();
        var nodes = Kind == StoreKind.Postgres ? new[] { Store, NewStore(1) } : [Store];

        var balances = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => nodes[i % nodes.Length].CreditVotesAsync(voter, 10, "purchase", null, "store-tx-1", Ct), Ct)));

        Assert.All(balances, b => Assert.Equal(10, b));
        Assert.Equal(10, (await SummaryAsync(voter)).VoteBalance);
        Assert.Single(await Store.GetRecentCreditsAsync(voter, 10, Ct));
    }

    [Fact]
    public async Task CreditsAndBundlesForAnUnknownVoterAreNull()
    {
        Assert.Null(await Store.CreditVotesAsync(new VoterId(987_654), 10, "purchase", null, "store-tx-1", Ct));
        Assert.Null(await Store.GrantBundleAsync(new VoterId(987_654), 10, "promo", Ct));
        Assert.Null(await Store.GetVoterSummaryAsync(new VoterId(987_654), null, Ct));
    }

    [Fact]
    public async Task ASettingIsStoredOnceAndThenKept()
    {
        Assert.Equal("first", await Store.GetOrAddSettingAsync("jwt-key", "first", Ct));
        Assert.Equal("first", await Store.GetOrAddSettingAsync("jwt-key", "second", Ct));
    }
}

public sealed class SqliteAuthStoreContractTests() : AuthStoreContractTests(StoreKind.Sqlite);

public sealed class PostgresAuthStoreContractTests() : AuthStoreContractTests(StoreKind.Postgres);
