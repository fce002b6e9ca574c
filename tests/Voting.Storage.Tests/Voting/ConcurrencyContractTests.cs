using Voting.Domain;
using Voting.Domain.Voting;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.Voting;

/// <summary>
/// Batches committed at the same time, on one node or (PostgreSQL) two nodes writing their own
/// tally shards, never spend a vote twice and leave the ledger and its projections in agreement.
/// </summary>
public abstract class ConcurrencyContractTests(StoreKind kind) : VotingStoreContractTests(kind)
{
    private const int Writers = 8;
    private const int BatchesPerWriter = 12;
    private const int VotesPerBatch = 6;
    private const long Credit = 40;

    /// <summary>The nodes writing: two stores on one PostgreSQL database; SQLite is one process's file.</summary>
    private IVotingStore[] Nodes() => Kind == StoreKind.Postgres ? [Store, NewStore(tallyShard: 1)] : [Store];

    [Fact]
    public async Task ConcurrentPaidBatchesFromSharedVotersNeverOverspend()
    {
        var show = await OpenShowAsync();
        var voters = new VoterId[5];
        for (var i = 0; i < voters.Length; i++) voters[i] = await SignInWithPaidVotesAsync(Credit);
        var nodes = Nodes();

        var accepted = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(1000 + w);
            var node = nodes[w % nodes.Length];
            var counted = new List<VoteAccepted>();
            for (var b = 0; b < BatchesPerWriter; b++)
            {
                var batch = Enumerable.Range(0, VotesPerBatch).Select(_ =>
                    Vote(voters[random.Next(voters.Length)], show.Contestants[random.Next(show.Contestants.Length)], VoteType.Paid, random.Next(1, 4))).ToList();
                var outcomes = await node.CommitVotesAsync(batch, Ct);
                for (var i = 0; i < batch.Count; i++)
                {
                    if (outcomes[i] is VoteAccepted a) counted.Add(a);
                    else AssertRefused(outcomes[i], VoteRefusal.InsufficientVoteBalance);
                }
            }
            return counted;
        }, Ct)));

        var all = accepted.SelectMany(a => a).ToList();
        var countedVotes = await Database.QueryAsync("SELECT id, vote_count FROM votes WHERE episode_id = $1", show.Episode.Value);
        Assert.Equal(all.Select(a => a.VoteId).Order(), countedVotes.Select(r => Convert.ToInt64(r[0])).Order());
        long spent = 0;
        foreach (var voter in voters)
        {
            var balance = (await SummaryAsync(voter)).VoteBalance;
            Assert.InRange(balance, 0, Credit);
            spent += Credit - balance;
        }
        var cast = countedVotes.Sum(r => Convert.ToInt64(r[1]));
        Assert.Equal(spent, cast);
        Assert.True(spent > Credit * voters.Length / 2, $"only {spent} votes were spent: the test did not exhaust the wallets");
        var audit = await Store.AuditEpisodeAsync(show.Episode, Ct);
        Assert.True(audit.Consistent, $"tallies {audit.TalliesConsistent}, voter counters {audit.VoterCountersConsistent}");
        Assert.Equal((cast, cast, countedVotes.Count), (audit.LedgerVotes, audit.TallyVotes, (int)audit.VoteRows));
        Assert.Equal(0, await DeadlocksAsync());
    }

    /// <summary>
    /// Deadlocks PostgreSQL detected in this test's database. A retried deadlock loses nothing,
    /// but costs a second of deadlock_timeout on a live show: batches must lock rows in one order.
    /// </summary>
    private async Task<long> DeadlocksAsync() => Kind == StoreKind.Postgres
        ? await Database.CountAsync("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        : 0;

    /// <summary>
    /// With <c>Storage:TallyLanes</c> above 1, a node's batches in flight at once (several on
    /// PostgreSQL) each add to a tally shard of their own, within the node's <c>TallyShard × 64</c>
    /// to <c>+ 63</c>, so none waits on another's tally rows; SQLite's one writer keeps to the
    /// first, and so does every batch with one lane (the default). The results sum them all.
    /// </summary>
    [Theory]
    [InlineData(8)]
    [InlineData(1)]
    public async Task BatchesInFlightTogetherWriteATallyShardOfTheirOwnWhenTheNodeHasLanes(int lanes)
    {
        var show = await OpenShowAsync();
        var node = NewStore(tallyShard: 3, o => o.TallyLanes = lanes);
        var voters = new VoterId[Writers];
        for (var i = 0; i < voters.Length; i++) voters[i] = await SignInWithPaidVotesAsync(1_000);

        var shards = new HashSet<long>();
        var rounds = 0;
        // On PostgreSQL the batches of a round overlap almost always; a few rounds make it certain.
        do
        {
            await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
                Accepted((await node.CommitVotesAsync([Vote(voters[w], show.Contestants[w % 3], VoteType.Paid, 2)], Ct))[0]), Ct)));
            shards = (await Database.QueryAsync("SELECT DISTINCT shard FROM tallies WHERE episode_id = $1", show.Episode.Value))
                .Select(r => Convert.ToInt64(r[0])).ToHashSet();
            rounds++;
        }
        while (rounds < (Kind == StoreKind.Postgres && lanes > 1 ? 20 : 3) && (Kind == StoreKind.Sqlite || lanes == 1 || shards.Count < 2));

        Assert.All(shards, s => Assert.InRange(s, 3 * 64, 3 * 64 + lanes - 1));
        if (Kind == StoreKind.Postgres && lanes > 1) Assert.True(shards.Count >= 2, $"every batch wrote shard {string.Join(", ", shards)}");
        else Assert.Equal([3 * 64], shards);
        var votes = 2L * Writers * rounds;
        Assert.Equal(votes, (await Store.GetResultsAsync(show.Episode, Ct)).Contestants.Sum(c => c.Votes));
        var audit = await Store.AuditEpisodeAsync(show.Episode, Ct);
        Assert.True(audit.Consistent);
        Assert.Equal((votes, votes), (audit.LedgerVotes, audit.TallyVotes));
    }

    /// <summary>
    /// SMS votes from the same three voters (phones) in batches at once, on both nodes: every batch
    /// commits, no phone passes the 50 a day, and the day's counts equal the SMS votes in the
    /// ledger. A batch reads a phone's count for the day only once it holds the voter's lock, so it
    /// sees what the batch it waited for committed. Read in the locking statement's snapshot, the
    /// count would be the one from before: the batch would judge votes past the limit and the
    /// ledger's limit guard would refuse its write (<c>LimitGuardException</c>), failing this test.
    /// </summary>
    [Fact]
    public async Task ConcurrentSmsBatchesFromSharedPhonesNeverPassTheDailyLimit()
    {
        const long dailyLimit = 50;
        var show = await OpenShowAsync();
        var voters = new VoterId[3];
        for (var i = 0; i < voters.Length; i++) voters[i] = await SignInAsync();
        var nodes = Nodes();

        var accepted = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            var random = new Random(2000 + w);
            var node = nodes[w % nodes.Length];
            long counted = 0;
            for (var b = 0; b < BatchesPerWriter; b++)
            {
                var batch = Enumerable.Range(0, VotesPerBatch).Select(_ =>
                    Vote(voters[random.Next(voters.Length)], show.Contestants[random.Next(show.Contestants.Length)], VoteType.Sms, random.Next(1, 4))).ToList();
                var outcomes = await node.CommitVotesAsync(batch, Ct);
                for (var i = 0; i < batch.Count; i++)
                {
                    if (outcomes[i] is VoteAccepted) counted += batch[i].Request.Count;
                    else AssertRefused(outcomes[i], VoteRefusal.SmsLimitExceeded);
                }
            }
            return counted;
        }, Ct)));

        var perVoter = await Database.QueryAsync(
            "SELECT voter_id, SUM(vote_count) FROM votes WHERE episode_id = $1 AND vote_type = 'sms' GROUP BY voter_id", show.Episode.Value);
        var days = await Database.QueryAsync("SELECT voter_id, used FROM voter_daily_sms");
        Assert.Equal(voters.Length, perVoter.Count);
        foreach (var row in perVoter)
        {
            var cast = Convert.ToInt64(row[1]);
            Assert.InRange(cast, 1, dailyLimit);
            Assert.Equal(cast, Convert.ToInt64(days.Single(d => Convert.ToInt64(d[0]) == Convert.ToInt64(row[0]))[1]));
        }
        var total = perVoter.Sum(r => Convert.ToInt64(r[1]));
        Assert.Equal(accepted.Sum(), total);
        Assert.True(total > dailyLimit * voters.Length / 2, $"only {total} SMS votes were cast: the test did not reach the limit");
        var audit = await Store.AuditEpisodeAsync(show.Episode, Ct);
        Assert.True(audit.Consistent, $"tallies {audit.TalliesConsistent}, voter counters {audit.VoterCountersConsistent}");
        Assert.Equal(0, await DeadlocksAsync());
    }

    [Fact]
    public async Task ConcurrentFreeVotesFromOneVoterCountExactlyFive()
    {
        var show = await OpenShowAsync();
        var voter = await SignInAsync();
        var nodes = Nodes();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w =>
            nodes[w % nodes.Length].CommitVotesAsync([Vote(voter, show.Contestants[w % 3]), Vote(voter, show.Contestants[(w + 1) % 3])], Ct)));

        Assert.Equal(5, outcomes.SelectMany(o => o).Count(o => o is VoteAccepted));
        Assert.Equal(5, (await Store.AuditEpisodeAsync(show.Episode, Ct)).LedgerVotes);
        Assert.True((await Store.AuditEpisodeAsync(show.Episode, Ct)).Consistent);
    }

    [Fact]
    public async Task TheSameKeyOnEveryNodeAtOnceCountsOneVote()
    {
        var show = await OpenShowAsync();
        var voter = await SignInWithPaidVotesAsync(100);
        var nodes = Nodes();
        var vote = Vote(voter, show.Contestants[1], VoteType.Paid, 5, key: "k-1");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => nodes[w % nodes.Length].CommitVotesAsync([vote], Ct)));

        var accepted = outcomes.Select(o => Accepted(o[0])).ToList();
        Assert.Single(accepted.Select(a => a.VoteId).Distinct());
        Assert.Single(accepted, a => !a.Replayed);
        Assert.Equal(95, (await SummaryAsync(voter)).VoteBalance);
        var audit = await Store.AuditEpisodeAsync(show.Episode, Ct);
        Assert.True(audit.Consistent);
        Assert.Equal((5L, 1L), (audit.LedgerVotes, audit.VoteRows));
    }
}

public sealed class SqliteConcurrencyContractTests() : ConcurrencyContractTests(StoreKind.Sqlite);

public sealed class PostgresConcurrencyContractTests() : ConcurrencyContractTests(StoreKind.Postgres);
