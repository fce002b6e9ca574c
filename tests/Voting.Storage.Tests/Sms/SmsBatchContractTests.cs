using Voting.Domain;
using Voting.Domain.Phones;
using Voting.Domain.Sms;
using Voting.Domain.Voting;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.Sms;

/// <summary>
/// Texts go through the vote batch: claimed once per carrier message id, the texter made a voter,
/// parsed against the line-up, judged by the vote rules, recorded with their reply and charge.
/// </summary>
public abstract class SmsBatchContractTests(StoreKind kind) : VotingStoreContractTests(kind)
{
    private int _messages;

    [Fact]
    public async Task ATextThatIsAVoteCountsAndIsRecordedWithItsReplyAndCharge()
    {
        var show = await OpenShowAsync();
        var sender = NewPhone("010");

        var answer = await TextAsync(Text("VOTE 2 3", sender));

        Assert.True(answer.Counted);
        Assert.Equal("counted", answer.Outcome);
        Assert.Contains("3 vote(s) for Singer 1.2", answer.Reply, StringComparison.Ordinal);
        Assert.Contains("47 more", answer.Reply, StringComparison.Ordinal);
        Assert.Equal(3, await TallyAsync(show.Episode, show.Contestants[1]));
        var vote = Assert.Single(await Database.QueryAsync("SELECT id, vote_type, vote_count, transaction_id FROM votes"));
        Assert.Equal((answer.VoteId, "sms", 3L), (Convert.ToInt64(vote[0]), (string)vote[1]!, Convert.ToInt64(vote[2])));
        Assert.StartsWith("smart:", (string)vote[3]!, StringComparison.Ordinal);
        var charge = Assert.Single(await Database.QueryAsync("SELECT carrier, amount_cents, status FROM carrier_charges WHERE vote_id = $1", answer.VoteId));
        Assert.Equal(("smart", 75L, "pending"), ((string)charge[0]!, Convert.ToInt64(charge[1]), (string)charge[2]!));
        // The charge, and the reply carrying (a new number) the welcome after the answer.
        var outbox = await Database.QueryAsync("SELECT kind, recipient, idempotency_key, payload FROM outbox ORDER BY kind, idempotency_key");
        Assert.Equal(2, outbox.Count);
        Assert.Equal(("charge", sender, $"charge:{answer.VoteId}"), ((string)outbox[0][0]!, (string)outbox[0][1]!, (string)outbox[0][2]!));
        Assert.Equal(("sms", sender), ((string)outbox[1][0]!, (string)outbox[1][1]!));
        Assert.True(OutboxJson.TryRead<SmsPayload>((string)outbox[1][3]!, out var reply));
        Assert.Equal(SmsReplies.Welcoming(answer.Reply), reply.Message);
        Assert.True((await Store.AuditEpisodeAsync(show.Episode, Ct)).Consistent);
    }

    [Fact]
    public async Task ARedeliveryIsAnsweredAsTheFirstDeliveryAndChangesNothing()
    {
        var show = await OpenShowAsync();
        var text = Text("VOTE 1", NewPhone("010"));
        var first = await TextAsync(text);
        var rows = await CountAllAsync();

        Clock.Advance(TimeSpan.FromDays(3));
        var again = await TextAsync(text with { ArrivedAt = Clock.GetUtcNow(), Text = "VOTE 2" });

        // The same answer; only the first delivery counted a vote (CountedIn, Votes) and names what it judged.
        Assert.Equal(first with { Replayed = true, CountedIn = 0, Votes = 0, Voter = 0, Episode = null, Contestant = 0, Count = 0 }, again);
        Assert.Equal(1, first.Votes);
        Assert.Equal(rows, await CountAllAsync());
        Assert.Equal(1, await TallyAsync(show.Episode, show.Contestants[0]));
    }

    [Fact]
    public async Task TheSameMessageTwiceInOneBatchCountsOnce()
    {
        var show = await OpenShowAsync();
        var text = Text("VOTE 3", NewPhone("010"));

        var outcomes = await Store.CommitVotesAsync([text.ToCommand(ClientInfo.None), text.ToCommand(ClientInfo.None), text.ToCommand(ClientInfo.None)], Ct);

        var answers = outcomes.Select(o => Assert.IsType<SmsAnswered>(o)).ToList();
        Assert.False(answers[0].Replayed);
        Assert.All(answers.Skip(1), a => Assert.Equal(answers[0] with { Replayed = true }, a));
        Assert.Equal(1, await TallyAsync(show.Episode, show.Contestants[2]));
        Assert.Equal(1, await Database.CountRowsAsync("sms_messages"));
    }

    [Fact]
    public async Task ConcurrentDeliveriesOfOneMessageThroughSeveralNodesCountOnce()
    {
        var show = await OpenShowAsync();
        var nodes = Kind == StoreKind.Postgres ? new[] { Store, NewStore(1), NewStore(2) } : [Store];
        var text = Text("VOTE 1 4", NewPhone("010"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
            Assert.IsType<SmsAnswered>((await nodes[i % nodes.Length].CommitVotesAsync([text.ToCommand(ClientInfo.None)], Ct))[0]), Ct)));

        Assert.Single(answers, a => !a.Replayed);
        Assert.All(answers, a => Assert.Equal((true, answers[0].VoteId, answers[0].Reply), (a.Counted, a.VoteId, a.Reply)));
        Assert.Equal(4, await TallyAsync(show.Episode, show.Contestants[0]));
        Assert.Equal(1, await Database.CountRowsAsync("votes"));
        Assert.Equal(1, await Database.CountRowsAsync("carrier_charges"));
        Assert.Equal(2, await Database.CountRowsAsync("outbox")); // the reply (with the welcome), the charge
    }

    [Fact]
    public async Task AFirstTimeTexterBecomesAVoterWithAVerifiedPhone()
    {
        await OpenShowAsync();
        var sender = NewPhone("097");

        await TextAsync(Text("3", sender, carrier: "metfone"));
        await TextAsync(Text("V2", sender, carrier: "metfone"));

        var voter = Assert.Single(await Database.QueryAsync("SELECT id, phone_verified_at FROM voters WHERE phone = $1", sender));
        Assert.NotNull(voter[1]);
        Assert.Equal(2, (await SummaryAsync(new VoterId(Convert.ToInt64(voter[0])))).SmsVotesToday);
    }

    [Fact]
    public async Task ATextThatIsNotAVoteIsRecordedWithTheHelpReplyAndCostsNothing()
    {
        var show = await OpenShowAsync();

        var answer = await TextAsync(Text("hello there", NewPhone("010")));

        Assert.Equal((false, "INVALID_FORMAT", SmsVoteParser.InvalidFormatReply, 0L), (answer.Counted, answer.Outcome, answer.Reply, answer.VoteId));
        Assert.Equal(0, await VoteRowsAsync(show.Episode));
        Assert.Equal(0, await Database.CountRowsAsync("carrier_charges"));
        var outbox = Assert.Single(await Database.QueryAsync("SELECT kind, payload FROM outbox"));
        Assert.Equal("sms", outbox[0]);
        Assert.Contains("Invalid format", (string)outbox[1]!, StringComparison.Ordinal);
        var message = Assert.Single(await Database.QueryAsync("SELECT episode_id, outcome FROM sms_messages"));
        Assert.Equal((show.Episode.Value, "INVALID_FORMAT"), (Convert.ToInt64(message[0]), (string)message[1]!));
    }

    [Fact]
    public async Task NamesMatchTheLineupOfTheOpenEpisode()
    {
        var show = await OpenShowAsync();

        var byName = await TextAsync(Text("vote singer 1.3 2", NewPhone("010")));
        var unknown = await TextAsync(Text("VOTE Bopha", NewPhone("010")));
        var ambiguous = await TextAsync(Text("VOTE Singer", NewPhone("010")));
        var noBallot = await TextAsync(Text("VOTE 9", NewPhone("010")));

        Assert.True(byName.Counted);
        Assert.Equal(2, await TallyAsync(show.Episode, show.Contestants[2]));
        Assert.Equal(("CONTESTANT_NOT_FOUND", "AMBIGUOUS_NAME", "CONTESTANT_NOT_FOUND"), (unknown.Outcome, ambiguous.Outcome, noBallot.Outcome));
        Assert.Equal(SmsReplies.NotFound.Reply, noBallot.Reply);
    }

    [Fact]
    public async Task ATextWhenNoEpisodeIsOpenGetsTheClosedReplyUnlessItIsNotAVoteAtAll()
    {
        await CreateShowAsync();

        var vote = await TextAsync(Text("VOTE 1", NewPhone("010")));
        var junk = await TextAsync(Text("?", NewPhone("010")));

        Assert.Equal(("VOTING_CLOSED", SmsReplies.Closed.Reply), (vote.Outcome, vote.Reply));
        Assert.Equal("INVALID_FORMAT", junk.Outcome);
        Assert.Equal(0, await Database.CountRowsAsync("votes"));
        Assert.Equal(2, await Database.CountAsync("SELECT COUNT(*) FROM sms_messages WHERE episode_id IS NULL"));
    }

    [Fact]
    public async Task TheFiftyFirstSmsVoteOfTheDayIsRefusedWholeWithWhatIsLeft()
    {
        var show = await OpenShowAsync();
        var sender = NewPhone("010");
        for (var i = 0; i < 4; i++) Assert.True((await TextAsync(Text("VOTE 1 10", sender))).Counted);
        Assert.True((await TextAsync(Text("VOTE 1 8", sender))).Counted);

        var tooMany = await TextAsync(Text("VOTE 2 5", sender));
        var last = await TextAsync(Text("VOTE 2 2", sender));
        var fiftyFirst = await TextAsync(Text("VOTE 2", sender));

        Assert.Equal("SMS_LIMIT_EXCEEDED", tooMany.Outcome);
        Assert.Contains("have 2 left today", tooMany.Reply, StringComparison.Ordinal);
        Assert.True(last.Counted);
        Assert.Equal("SMS_LIMIT_EXCEEDED", fiftyFirst.Outcome);
        Assert.Contains("have 0 left today", fiftyFirst.Reply, StringComparison.Ordinal);
        Assert.Equal(50, await TallyAsync(show.Episode, show.Contestants[0]) + await TallyAsync(show.Episode, show.Contestants[1]));
    }

    [Fact]
    public async Task ALateTextCountsWhenTheCarrierReceivedItBeforeTheCloseAndItArrivesWithinTheGrace()
    {
        var show = await OpenShowAsync();
        var beforeClose = Clock.GetUtcNow().AddSeconds(-1);
        Clock.Advance(TimeSpan.FromMinutes(10));
        var close = await Store.CloseVotingAsync(show.Episode, Ct);
        var end = close.End!.Value;
        Clock.Advance(TimeSpan.FromSeconds(90));

        var late = await TextAsync(Text("VOTE 1", NewPhone("010"), carrierAt: end.AddSeconds(-5)));
        var sentAfterClose = await TextAsync(Text("VOTE 1", NewPhone("010"), carrierAt: end.AddSeconds(1)));
        var arrivedTooLate = await TextAsync(Text("VOTE 1", NewPhone("010"), carrierAt: end.AddSeconds(-5), arrivedAt: end.AddSeconds(121)));
        var beforeOpening = await TextAsync(Text("VOTE 1", NewPhone("010"), carrierAt: beforeClose.AddHours(-1)));

        Assert.True(late.Counted);
        Assert.Equal(("VOTING_CLOSED", "VOTING_CLOSED", "VOTING_CLOSED"), (sentAfterClose.Outcome, arrivedTooLate.Outcome, beforeOpening.Outcome));
        Assert.Equal(1, await TallyAsync(show.Episode, show.Contestants[0]));
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM sms_messages WHERE late = 1"));
        // Refusals are recorded against the episode the texter meant, while it can still take late texts.
        Assert.Equal(3, await Database.CountAsync("SELECT COUNT(*) FROM sms_messages WHERE episode_id = $1", show.Episode.Value));
        Assert.True((await Store.AuditEpisodeAsync(show.Episode, Ct)).Consistent);
    }

    [Fact]
    public async Task AWindowThatRanOutOnItsOwnTakesLateTextsByItsStoredEnd()
    {
        var show = await OpenShowAsync(window: TimeSpan.FromMinutes(5));
        var end = (await Store.GetEpisodeAsync(show.Episode, Ct))!.Window.End!.Value;
        Clock.Set(end.AddSeconds(30));

        var late = await TextAsync(Text("VOTE 2", NewPhone("010"), carrierAt: end.AddMilliseconds(-1)));
        var afterEnd = await TextAsync(Text("VOTE 2", NewPhone("010"), carrierAt: end));

        Assert.True(late.Counted);
        Assert.Equal("VOTING_CLOSED", afterEnd.Outcome);
    }

    [Fact]
    public async Task TheCarriersTimeNeverRefusesATextOurClockAdmits()
    {
        var show = await OpenShowAsync(window: TimeSpan.FromMinutes(5));
        var now = Clock.GetUtcNow();

        var future = await TextAsync(Text("VOTE 1", NewPhone("010"), carrierAt: now.AddHours(3)));
        var past = await TextAsync(Text("VOTE 1", NewPhone("010"), carrierAt: now.AddDays(-3)));

        Assert.True(future.Counted && past.Counted);
        Assert.Equal(2, await TallyAsync(show.Episode, show.Contestants[0]));
    }

    [Fact]
    public async Task ATextDeliveredByAnotherCarrierThanItsPrefixCountsWithAFraudSignalAndIsBilledByTheDeliverer()
    {
        await OpenShowAsync();

        var answer = await TextAsync(Text("VOTE 1", NewPhone("012"), carrier: "smart"));

        Assert.True(answer.Counted);
        Assert.Equal(1, await Database.CountAsync("SELECT COUNT(*) FROM sms_messages WHERE carrier_mismatch = 1 AND vote_id = $1", answer.VoteId));
        Assert.Equal("smart", (await Database.QueryAsync("SELECT carrier FROM carrier_charges"))[0][0]);
    }

    [Fact]
    public async Task TextsAndAppVotesShareABatchAndTheDailyLimit()
    {
        var show = await OpenShowAsync();
        var sender = NewPhone("010");
        var voter = await SignInAsync(sender);

        var outcomes = await CommitAsync(
            Vote(voter, show.Contestants[0], VoteType.Sms, 45), Text("VOTE 2 5", sender).ToCommand(ClientInfo.None),
            Vote(voter, show.Contestants[1], VoteType.Free, 2), Text("VOTE 3", sender).ToCommand(ClientInfo.None));

        Assert.Equal(0, Accepted(outcomes[0]).Counters.SmsVotesAvailable);
        Assert.True(Assert.IsType<SmsAnswered>(outcomes[1]).Counted);
        Accepted(outcomes[2]);
        Assert.Equal("SMS_LIMIT_EXCEEDED", Assert.IsType<SmsAnswered>(outcomes[3]).Outcome);
        // Both carrier-billed votes are charged through the outbox.
        Assert.Equal(2, await Database.CountAsync("SELECT COUNT(*) FROM outbox WHERE kind = 'charge'"));
        Assert.Equal(2, await Database.CountRowsAsync("carrier_charges"));
        Assert.True((await Store.AuditEpisodeAsync(show.Episode, Ct)).Consistent);
    }

    [Fact]
    public async Task TheSmsFiguresOfAnEpisodeArePerCarrier()
    {
        var show = await OpenShowAsync();
        await TextAsync(Text("VOTE 1 2", NewPhone("010")));
        await TextAsync(Text("VOTE 2", NewPhone("012"), carrier: "smart"));
        await TextAsync(Text("nope", NewPhone("010")));
        var cellcard = await TextAsync(Text("VOTE 3 4", NewPhone("012"), carrier: "cellcard"));
        var leased = await Store.LeaseOutboxAsync([OutboxKinds.Charge], 10, TimeSpan.FromSeconds(30), Ct);
        var cellcardCharge = leased.Single(l => l.IdempotencyKey == $"charge:{cellcard.VoteId}");
        await Store.CompleteOutboxAsync([new OutboxCompletion(cellcardCharge.Id, OutboxOutcome.Delivered, ChargeVoteId: cellcard.VoteId, Charge: ChargeStatus.Confirmed)], Ct);

        var stats = await Store.GetSmsStatsAsync(show.Episode, Ct);

        Assert.Equal(["smart", "cellcard", "metfone"], stats.Carriers.Select(c => c.Carrier));
        var smart = stats.Carriers[0];
        Assert.Equal((3L, 2L, 1L, 3L, 2L, 0L, 75L), (smart.Messages, smart.Counted, smart.CarrierMismatches, smart.Votes, smart.ChargesPending, smart.ChargesConfirmed, smart.PendingCents));
        Assert.Equal(1, smart.Refusals["INVALID_FORMAT"]);
        var cc = stats.Carriers[1];
        Assert.Equal((1L, 4L, 1L, 100L, 0L), (cc.Messages, cc.Votes, cc.ChargesConfirmed, cc.ConfirmedCents, cc.ChargesPending));
        Assert.Equal(0, stats.Carriers[2].Messages);
        Assert.Equal("USD", stats.Currency);
    }

    private SmsIntake Text(string text, string sender, string carrier = "smart", DateTimeOffset? carrierAt = null, DateTimeOffset? arrivedAt = null) =>
        new(carrier, $"m-{Interlocked.Increment(ref _messages)}", sender, "1255", text, carrierAt ?? Clock.GetUtcNow(), arrivedAt ?? Clock.GetUtcNow(),
            LateTextRule.DefaultGrace, SmsCarrierCheck.Disagrees(sender, CarrierNames.FromWire(carrier)));

    private async Task<SmsAnswered> TextAsync(SmsIntake text) =>
        Assert.IsType<SmsAnswered>(Assert.Single(await Store.CommitVotesAsync([text.ToCommand(ClientInfo.None)], Ct)));

    private async Task<long> CountAllAsync()
    {
        long n = 0;
        foreach (var table in new[] { "votes", "sms_messages", "outbox", "carrier_charges", "voters", "tallies", "voter_daily_sms" })
            n = (n * 1000) + await Database.CountRowsAsync(table);
        return n;
    }
}

public sealed class SqliteSmsBatchContractTests() : SmsBatchContractTests(StoreKind.Sqlite);

public sealed class PostgresSmsBatchContractTests() : SmsBatchContractTests(StoreKind.Postgres);
