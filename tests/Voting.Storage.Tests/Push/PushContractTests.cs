using Voting.Domain;
using Voting.Domain.Push;
using Voting.Domain.Voting;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.Push;

/// <summary>
/// Device tokens, and committed votes coalesced per voter into one notification: added up in the
/// vote transaction for voters with a device, flushed into one outbox row per device exactly once.
/// </summary>
public abstract class PushContractTests(StoreKind kind) : VotingStoreContractTests(kind)
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ATokenIsCreatedThenFoundThenMovedToTheVoterWhoSignsInOnTheDevice()
    {
        var (ann, bob) = (await SignInAsync(), await SignInAsync());

        var first = await Store.RegisterPushTokenAsync(ann, PushPlatforms.Fcm, "device-1", Ct);
        var again = await Store.RegisterPushTokenAsync(ann, PushPlatforms.Fcm, "device-1", Ct);
        var moved = await Store.RegisterPushTokenAsync(bob, PushPlatforms.Fcm, "device-1", Ct);
        var back = await Store.RegisterPushTokenAsync(ann, PushPlatforms.Apns, "device-1", Ct);
        var nobody = await Store.RegisterPushTokenAsync(new VoterId(987_654), PushPlatforms.Fcm, "device-2", Ct);

        Assert.Equal((PushTokenRegistration.Created, PushTokenRegistration.AlreadyRegistered, PushTokenRegistration.Moved, PushTokenRegistration.Moved),
            (first, again, moved, back));
        Assert.Equal(PushTokenRegistration.VoterNotFound, nobody);
        var row = Assert.Single(await Database.QueryAsync("SELECT voter_id, platform FROM push_tokens"));
        Assert.Equal((ann.Value, "apns"), (Convert.ToInt64(row[0]), (string)row[1]!));
    }

    [Fact]
    public async Task AVoterRemovesOnlyTheirOwnTokensWhileAGoneTokenIsForgottenWhoeverHasIt()
    {
        var (ann, bob) = (await SignInAsync(), await SignInAsync());
        await RegisterAsync(ann, "ann-phone");
        await RegisterAsync(ann, "ann-tablet");

        Assert.False(await Store.RemovePushTokenAsync(bob, "ann-phone", Ct));
        Assert.True(await Store.RemovePushTokenAsync(ann, "ann-phone", Ct));
        Assert.False(await Store.RemovePushTokenAsync(ann, "ann-phone", Ct));
        Assert.True(await Store.ForgetPushTokenAsync("ann-tablet", Ct));
        Assert.False(await Store.ForgetPushTokenAsync("ann-tablet", Ct));

        Assert.Equal(0, await Database.CountRowsAsync("push_tokens"));
    }

    [Fact]
    public async Task VotesOfAVoterWithADeviceAddUpInOnePendingRowThatKeepsTheFirstTimeAndTheLatestContestant()
    {
        var show = await OpenShowAsync();
        var (fan, quiet) = (await SignInWithPaidVotesAsync(10), await SignInAsync());
        await RegisterAsync(fan, "fan-phone");
        var start = Clock.GetUtcNow();

        await CommitAsync(Vote(fan, show.Contestants[0]), Vote(quiet, show.Contestants[0]), Vote(fan, show.Contestants[1], VoteType.Paid, 3));
        Clock.Advance(TimeSpan.FromSeconds(5));
        var last = Accepted(await CommitOneAsync(Vote(fan, show.Contestants[2], VoteType.Paid, 2)));
        Clock.Advance(TimeSpan.FromSeconds(1));
        AssertRefused(await CommitOneAsync(Vote(fan, show.Contestants[0], VoteType.Paid, 50)), VoteRefusal.InsufficientVoteBalance);

        var row = Assert.Single(await Database.QueryAsync(
            "SELECT voter_id, episode_id, contestant_id, votes, last_vote_id, first_at, last_at FROM push_pending"));
        Assert.Equal([fan.Value, show.Episode.Value, show.Contestants[2].Value, 6L, last.VoteId, start.ToUnixTimeMilliseconds(),
            start.AddSeconds(5).ToUnixTimeMilliseconds()], row.Select(Convert.ToInt64));
    }

    [Fact]
    public async Task AReplayedVoteAddsNothingToThePendingRow()
    {
        var show = await OpenShowAsync();
        var fan = await SignInAsync();
        await RegisterAsync(fan, "fan-phone");

        Accepted(await CommitOneAsync(Vote(fan, show.Contestants[0], count: 2, key: "vote-1")));
        Assert.True(Accepted(await CommitOneAsync(Vote(fan, show.Contestants[0], count: 2, key: "vote-1"))).Replayed);

        Assert.Equal(2, await Database.CountAsync("SELECT votes FROM push_pending WHERE voter_id = $1", fan.Value));
    }

    [Fact]
    public async Task ADuePendingRowBecomesOneOutboxRowPerDeviceOnce()
    {
        var show = await OpenShowAsync();
        var fan = await SignInAsync();
        await RegisterAsync(fan, "fan-android", PushPlatforms.Fcm);
        await RegisterAsync(fan, "fan-iphone", PushPlatforms.Apns);
        var first = Clock.GetUtcNow();
        await CommitAsync(Vote(fan, show.Contestants[1], count: 2));
        Clock.Advance(TimeSpan.FromSeconds(10));
        await CommitAsync(Vote(fan, show.Contestants[1]));

        var early = await Store.FlushPushPendingAsync(first.AddMilliseconds(-1), 100, Ct);
        Clock.Advance(Window);
        var due = await Store.FlushPushPendingAsync(first, 100, Ct);
        var again = await Store.FlushPushPendingAsync(Clock.GetUtcNow(), 100, Ct);

        Assert.Equal((new PushFlush(0, 0), new PushFlush(1, 2), new PushFlush(0, 0)), (early, due, again));
        Assert.Equal(0, await Database.CountRowsAsync("push_pending"));
        var rows = await Store.LeaseOutboxAsync([PushPayload.Kind], 10, Window, Ct);
        Assert.Equal(2, rows.Count);
        var payloads = rows.Select(r => Assert.IsType<PushPayload>(Read(r.Payload))).OrderBy(p => p.Token, StringComparer.Ordinal).ToList();
        var message = PushMessages.VoteConfirmed(3, "Singer 1.2");
        Assert.Equal(
        [
            new PushPayload("fcm", "fan-android", message.Title, message.Body, new PushData("vote_confirmation", show.Contestants[1].Value, show.Episode.Value, 3)),
            new PushPayload("apns", "fan-iphone", message.Title, message.Body, new PushData("vote_confirmation", show.Contestants[1].Value, show.Episode.Value, 3)),
        ], payloads);
        Assert.All(rows, r => Assert.Equal($"voter:{fan.Value}", r.Recipient));
        Assert.Equal(2, rows.Select(r => r.IdempotencyKey).Distinct().Count());
    }

    [Fact]
    public async Task AVoteAfterAFlushStartsANewNotificationWithItsOwnKey()
    {
        var show = await OpenShowAsync();
        var fan = await SignInAsync();
        await RegisterAsync(fan, "fan-phone");
        await CommitAsync(Vote(fan, show.Contestants[0]));
        Clock.Advance(Window);
        Assert.Equal(new PushFlush(1, 1), await Store.FlushPushPendingAsync(Clock.GetUtcNow() - Window, 100, Ct));

        await CommitAsync(Vote(fan, show.Contestants[0], count: 4));
        Clock.Advance(Window);
        Assert.Equal(new PushFlush(1, 1), await Store.FlushPushPendingAsync(Clock.GetUtcNow() - Window, 100, Ct));

        var rows = await Store.LeaseOutboxAsync([PushPayload.Kind], 10, Window, Ct);
        Assert.Equal([1L, 4L], rows.Select(r => ((PushPayload)Read(r.Payload)).Data.VoteCount!.Value));
        Assert.NotEqual(rows[0].IdempotencyKey, rows[1].IdempotencyKey);
    }

    [Fact]
    public async Task AVoterWhoRemovedTheirDevicesBeforeTheFlushGetsNothing()
    {
        var show = await OpenShowAsync();
        var fan = await SignInAsync();
        await RegisterAsync(fan, "fan-phone");
        await CommitAsync(Vote(fan, show.Contestants[0]));
        Assert.True(await Store.RemovePushTokenAsync(fan, "fan-phone", Ct));

        Assert.Equal(new PushFlush(1, 0), await Store.FlushPushPendingAsync(Clock.GetUtcNow(), 100, Ct));
        Assert.Equal(0, await Database.CountRowsAsync("push_pending"));
        Assert.Equal(0, await Database.CountAsync("SELECT COUNT(*) FROM outbox WHERE kind = 'push'"));
    }

    [Fact]
    public async Task NodesFlushingAtOnceTakeEachPendingRowExactlyOnce()
    {
        var show = await OpenShowAsync();
        for (var i = 0; i < 30; i++)
        {
            var voter = await SignInAsync();
            await RegisterAsync(voter, $"device-{i}");
            await CommitAsync(Vote(voter, show.Contestants[i % 3]));
        }
        var nodes = Kind == StoreKind.Postgres ? new[] { Store, NewStore(1), NewStore(2) } : [Store];
        var cutoff = Clock.GetUtcNow();

        var largest = 0;
        var flushes = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            var total = 0;
            PushFlush f;
            do
            {
                f = await nodes[i % nodes.Length].FlushPushPendingAsync(cutoff, 4, Ct);
                total += f.Notifications;
                InterlockedMax(ref largest, f.Voters);
            }
            while (f.Voters > 0);
            return total;
        }, Ct)));

        Assert.Equal(30, flushes.Sum());
        Assert.InRange(largest, 1, 4); // no flush takes more than its limit
        Assert.Equal(0, await Database.CountRowsAsync("push_pending"));
        Assert.Equal(30, await Database.CountAsync("SELECT COUNT(DISTINCT payload) FROM outbox WHERE kind = 'push'"));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var seen = Volatile.Read(ref target); value > seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
        }
    }

    private async Task RegisterAsync(VoterId voter, string token, string platform = PushPlatforms.Fcm) =>
        Assert.Equal(PushTokenRegistration.Created, await Store.RegisterPushTokenAsync(voter, platform, token, Ct));

    private static PushPayload Read(string json)
    {
        Assert.True(OutboxJson.TryRead<PushPayload>(json, out var payload), json);
        return payload;
    }
}

public sealed class SqlitePushContractTests() : PushContractTests(StoreKind.Sqlite);

public sealed class PostgresPushContractTests() : PushContractTests(StoreKind.Postgres);
