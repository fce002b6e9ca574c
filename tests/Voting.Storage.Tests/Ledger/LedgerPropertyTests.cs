using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Voting.Domain;
using Voting.Domain.Voting;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.Ledger;

/// <summary>
/// Random sequences of votes of every type (in batches of random size), voids with and without
/// refund, credits and bundle grants, run through the real store. After each sequence every
/// projection must equal its recomputation from the ledger by independent SQL, and no counter may
/// have broken its limit: a wallet or bundle never below zero, free votes never over 5, SMS votes
/// never over 50 a day.
/// </summary>
public abstract class LedgerPropertyTests(StoreKind kind) : VotingStoreContractTests(kind)
{
    private const int Sequences = 200;
    private const int Voters = 3;

    private abstract record Op;
    private sealed record CastOp(int Voter, int Contestant, VoteType Type, int Count, bool EndsBatch) : Op;
    private sealed record VoidOp(int Voter, bool ByVoter, int Pick, bool Refund) : Op;
    private sealed record CreditOp(int Voter, int Amount) : Op;
    private sealed record GrantOp(int Voter, int Votes) : Op;

    private static Gen<Op> Ops()
    {
        var voter = Gen.Choose(0, Voters - 1);
        var cast = from v in voter
                   from c in Gen.Choose(0, 2)
                   from t in Gen.Elements(VoteType.Free, VoteType.Paid, VoteType.Bundle, VoteType.Sms)
                   from n in Gen.Frequency((4, Gen.Choose(1, 3)), (1, Gen.Choose(4, 30)))
                   from end in Gen.Elements(true, false, false)
                   select (Op)new CastOp(v, c, t, n, end);
        var voids = from v in voter
                    from byVoter in Gen.Elements(true, false, false)
                    from pick in Gen.Choose(0, 1000)
                    from refund in Gen.Elements(true, false)
                    select (Op)new VoidOp(v, byVoter, pick, refund);
        var credit = from v in voter from n in Gen.Choose(1, 20) select (Op)new CreditOp(v, n);
        var grant = from v in voter from n in Gen.Choose(1, 10) select (Op)new GrantOp(v, n);
        return Gen.Frequency((10, cast), (3, voids), (3, credit), (2, grant));
    }

    [Fact]
    public async Task EveryProjectionEqualsItsRecomputationFromTheLedgerAfterAnySequence()
    {
        var show = await OpenShowAsync();
        var sequence = 0;
        var property = Prop.ForAll(Ops().ListOf().Select(l => l.Take(40).ToList()).ToArbitrary(), ops =>
        {
            // FsCheck runs properties synchronously; each sequence is a run of real transactions.
            RunAsync(show, ops, Interlocked.Increment(ref sequence)).GetAwaiter().GetResult();
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(Sequences).WithReplay(12345UL, 67891UL).WithQuietOnSuccess(true), property);
        Assert.True(sequence >= Sequences);
        var audit = await Store.AuditEpisodeAsync(show.Episode, Ct);
        Assert.True(audit.Consistent);
    }

    private async Task RunAsync(Show show, List<Op> ops, int sequence)
    {
        var voters = new VoterId[Voters];
        for (var i = 0; i < Voters; i++) voters[i] = await SignInAsync();
        var batch = new List<VoteCommand>();
        var cast = new List<long>();
        async Task FlushAsync()
        {
            if (batch.Count == 0) return;
            foreach (var o in await Store.CommitVotesAsync(batch, Ct))
                if (o is VoteAccepted a) cast.Add(a.VoteId);
            batch.Clear();
        }
        var step = 0;
        foreach (var op in ops)
        {
            step++;
            switch (op)
            {
                case CastOp c:
                    batch.Add(new VoteCommand(voters[c.Voter], show.Episode, new VoteRequest(show.Contestants[c.Contestant], c.Type, c.Count),
                        null, null, ClientInfo.None));
                    if (c.EndsBatch) await FlushAsync();
                    continue;
                case VoidOp v:
                    await FlushAsync();
                    var selector = v.ByVoter || cast.Count == 0
                        ? VoidSelector.OfVoter(voters[v.Voter].Value)
                        : VoidSelector.Votes([cast[v.Pick % cast.Count], cast[(v.Pick * 7 + 3) % cast.Count]]);
                    var done = await Store.VoidVotesAsync(new VoidRequest(show.Episode, selector, "property", v.Refund, "test", null), Ct);
                    Assert.Equal(VoidStatus.Ok, done.Status);
                    break;
                case CreditOp c:
                    await FlushAsync();
                    await Store.CreditVotesAsync(voters[c.Voter], c.Amount, "purchase", null, string.Create(CultureInfo.InvariantCulture, $"p{sequence}-{step}"), Ct);
                    break;
                case GrantOp g:
                    await FlushAsync();
                    await Store.GrantBundleAsync(voters[g.Voter], g.Votes, "property", Ct);
                    break;
            }
        }
        await FlushAsync();
        await AssertProjectionsAsync(show.Episode, voters);
    }

    private async Task<Dictionary<long, long[]>> ByVoterAsync(string sql, VoterId[] voters)
    {
        var result = new Dictionary<long, long[]>();
        foreach (var v in voters)
        {
            var rows = await Database.QueryAsync(sql, v.Value);
            result[v.Value] = rows.Count == 0 ? [] : rows[0].Select(x => x is null ? 0 : Convert.ToInt64(x, CultureInfo.InvariantCulture)).ToArray();
        }
        return result;
    }

    private async Task AssertProjectionsAsync(EpisodeId episode, VoterId[] voters)
    {
        const string Refunded = "EXISTS (SELECT 1 FROM vote_voids vv WHERE vv.vote_id = v.id AND vv.refunded = 1)";
        const string Voided = "EXISTS (SELECT 1 FROM vote_voids vv WHERE vv.vote_id = v.id)";
        // The wallet: credits, less paid votes, plus paid votes voided with a refund.
        var wallets = await ByVoterAsync(
            $"""
            SELECT r.vote_balance,
                (SELECT COALESCE(SUM(amount), 0) FROM wallet_entries WHERE voter_id = r.id),
                (SELECT COALESCE(SUM(vote_count), 0) FROM votes v WHERE v.voter_id = r.id AND v.vote_type = 'paid' AND NOT {Refunded})
            FROM voters r WHERE r.id = $1
            """, voters);
        foreach (var (voter, w) in wallets)
        {
            Assert.True(w[0] >= 0, $"voter {voter}: wallet {w[0]} below zero");
            Assert.Equal(w[1] - w[2], w[0]);
        }
        // Bundles: granted, less their votes, plus those voided with a refund; never below zero.
        foreach (var v in voters)
        {
            var bundles = await Database.QueryAsync(
                $"""
                SELECT b.remaining_votes, b.granted_votes,
                    (SELECT COALESCE(SUM(vote_count), 0) FROM votes v WHERE v.bundle_id = b.id AND NOT {Refunded})
                FROM bundles b WHERE b.voter_id = $1
                """, v.Value);
            foreach (var b in bundles.Select(r => r.Select(x => Convert.ToInt64(x, CultureInfo.InvariantCulture)).ToArray()))
            {
                Assert.True(b[0] >= 0);
                Assert.Equal(b[1] - b[2], b[0]);
            }
        }
        // Today's SMS votes and the voter's counters in the episode.
        var day = VoteRules.PhnomPenhDay(Clock.GetUtcNow());
        foreach (var v in voters)
        {
            var sms = await Database.QueryAsync(
                $"""
                SELECT COALESCE((SELECT used FROM voter_daily_sms WHERE voter_id = $1 AND day = $2), 0),
                    (SELECT COALESCE(SUM(vote_count), 0) FROM votes v WHERE v.voter_id = $1 AND v.vote_type = 'sms' AND NOT {Refunded})
                """, v.Value, day);
            var (used, counted) = (Convert.ToInt64(sms[0][0], CultureInfo.InvariantCulture), Convert.ToInt64(sms[0][1], CultureInfo.InvariantCulture));
            Assert.InRange(used, 0, VoteRules.SmsVotesPerDay);
            Assert.Equal(counted, used);
        }
        var counters = await ByVoterAsync(
            $"""
            SELECT COALESCE(ve.free_used, 0), COALESCE(ve.paid_cast, 0), COALESCE(ve.votes_cast, 0),
                (SELECT COALESCE(SUM(vote_count), 0) FROM votes v WHERE v.voter_id = r.id AND v.episode_id = $2 AND v.vote_type = 'free' AND NOT {Refunded}),
                (SELECT COALESCE(SUM(vote_count), 0) FROM votes v WHERE v.voter_id = r.id AND v.episode_id = $2 AND v.vote_type = 'paid' AND NOT {Voided}),
                (SELECT COALESCE(SUM(vote_count), 0) FROM votes v WHERE v.voter_id = r.id AND v.episode_id = $2 AND NOT {Voided})
            FROM voters r LEFT JOIN voter_episode ve ON ve.voter_id = r.id AND ve.episode_id = $2 WHERE r.id = $1
            """.Replace("$2", episode.Value.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal), voters);
        foreach (var (voter, c) in counters)
        {
            Assert.InRange(c[0], 0, VoteRules.FreeVotesPerEpisode);
            Assert.Equal((c[3], c[4], c[5]), (c[0], c[1], c[2]));
        }
        // Tallies, minute and hourly tallies of the whole episode against its votes not voided.
        var tallies = await Database.QueryAsync(
            $"""
            SELECT
                (SELECT COALESCE(SUM(votes), 0) FROM tallies WHERE episode_id = $1),
                (SELECT COALESCE(SUM(votes), 0) FROM minute_tallies WHERE episode_id = $1),
                (SELECT COALESCE(SUM(votes), 0) FROM hourly_tallies WHERE episode_id = $1),
                (SELECT COALESCE(SUM(vote_count), 0) FROM votes v WHERE v.episode_id = $1 AND NOT {Voided})
            """, episode.Value);
        var t = tallies[0].Select(x => Convert.ToInt64(x, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal((t[3], t[3], t[3]), (t[0], t[1], t[2]));
        var audit = await Store.AuditEpisodeAsync(episode, Ct);
        Assert.True(audit.Consistent, $"audit: {audit}");
    }
}

public sealed class SqliteLedgerPropertyTests() : LedgerPropertyTests(StoreKind.Sqlite);

public sealed class PostgresLedgerPropertyTests() : LedgerPropertyTests(StoreKind.Postgres);
