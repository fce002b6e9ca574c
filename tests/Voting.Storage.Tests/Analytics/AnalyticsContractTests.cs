using Voting.Domain;
using Voting.Domain.Voting;
using Voting.Storage.Ledger;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.Analytics;

/// <summary>The analytics counters move with votes and voids in their transaction, and the audit notices any that disagrees with the ledger.</summary>
public abstract class AnalyticsContractTests(StoreKind kind) : VotingStoreContractTests(kind)
{
    private async Task<(Show Show, VoterId Alice, VoterId Bob)> VotedShowAsync()
    {
        var show = await OpenShowAsync();
        var (alice, bob) = (await SignInWithPaidVotesAsync(20), await SignInAsync());
        await Store.GrantBundleAsync(bob, 10, "promo", Ct);
        await CommitAsync(
            Vote(alice, show.Contestants[0], count: 2),
            Vote(alice, show.Contestants[1], VoteType.Paid, 7),
            Vote(bob, show.Contestants[1], VoteType.Bundle, 4),
            Vote(bob, show.Contestants[2], VoteType.Sms, 3));
        return (show, alice, bob);
    }

    [Fact]
    public async Task VotesAndVoidsMoveTheVotersPerContestantAndTheirLoyaltyPoints()
    {
        var (show, _, bob) = await VotedShowAsync();

        var before = (await Store.GetAnalyticsAsync(show.Episode, Ct))!;
        Assert.Equal((2L, 1L, 2L, 1L), (before.UniqueVoters, before.VotersByContestant[show.Contestants[0]], before.VotersByContestant[show.Contestants[1]],
            before.VotersByContestant[show.Contestants[2]]));
        Assert.Equal(2, before.Audience.Voters);
        Assert.Equal(((2 * 2) + (7 * 3) + (4 * 2) + (3 * 2)) / 2m, before.Audience.AverageLoyaltyPoints);

        var done = await Store.VoidVotesAsync(new VoidRequest(show.Episode, VoidSelector.OfVoter(bob.Value), "fraud", false, "test", null), Ct);
        Assert.Equal(VoidStatus.Ok, done.Status);

        var after = (await Store.GetAnalyticsAsync(show.Episode, Ct))!;
        Assert.Equal(1, after.UniqueVoters);
        Assert.Equal(1, after.VotersByContestant[show.Contestants[1]]);
        Assert.False(after.VotersByContestant.ContainsKey(show.Contestants[2]));
        Assert.Equal(1, after.Audience.Voters);
        Assert.Equal(25m, after.Audience.AverageLoyaltyPoints); // alice's 4 + 21
        Assert.Equal(9, after.ByType.Sum(t => t.Votes));
        Assert.True((await Store.AuditEpisodeAsync(show.Episode, Ct)).Consistent);
        Assert.Null(await Store.GetAnalyticsAsync(new EpisodeId(show.Episode.Value + 1000), Ct));
    }

    [Fact]
    public async Task TheAudienceIsWhoTheVoterWasWhenTheyFirstVotedInTheEpisode()
    {
        var first = await OpenShowAsync();
        var alice = await SignInWithPaidVotesAsync(100);
        await Store.UpdateProfileAsync(alice, new ProfileChange(Province: "Kandal", Gender: "female", DateOfBirth: "1990-05-01"), Ct);
        Accepted(await CommitOneAsync(Vote(alice, first.Contestants[0], VoteType.Paid, 4)));   // 4 x 3 points
        // A profile changed after the first vote does not move the voter in this episode; later votes count where the first did.
        await Store.UpdateProfileAsync(alice, new ProfileChange(Province: "Phnom Penh", Gender: "male"), Ct);
        Accepted(await CommitOneAsync(Vote(alice, first.Contestants[1], VoteType.Paid, 2)));   // 2 x 3 points

        var report = (await Store.GetAnalyticsAsync(first.Episode, Ct))!.Audience;
        Assert.Equal((1L, 0L), (report.ByGender["female"], report.ByGender["male"]));
        Assert.Equal(new Dictionary<string, long> { ["Kandal"] = 6 }, report.VotesByProvince.Where(p => p.Value > 0).ToDictionary());
        Assert.Equal(18m, report.AverageLoyaltyPoints);

        // In the next episode the voter is who they are now, holding the 18 points from the first.
        Assert.Equal(WindowStatus.Ok, (await Store.CloseVotingAsync(first.Episode, Ct)).Status);
        var second = await OpenShowAsync();
        Accepted(await CommitOneAsync(Vote(alice, second.Contestants[0], VoteType.Paid, 1)));  // 3 points
        var next = (await Store.GetAnalyticsAsync(second.Episode, Ct))!.Audience;
        Assert.Equal((0L, 1L), (next.ByGender["female"], next.ByGender["male"]));
        Assert.Equal(new Dictionary<string, long> { ["Phnom Penh"] = 1 }, next.VotesByProvince.Where(p => p.Value > 0).ToDictionary());
        Assert.Equal(21m, next.AverageLoyaltyPoints);
        Assert.Equal(1, next.ByAgeGroup.Values.Sum());

        // The first episode's report did not change with the later votes.
        Assert.Equal(18m, (await Store.GetAnalyticsAsync(first.Episode, Ct))!.Audience.AverageLoyaltyPoints);
        Assert.True((await Store.AuditEpisodeAsync(first.Episode, Ct)).Consistent);
        Assert.True((await Store.AuditEpisodeAsync(second.Episode, Ct)).Consistent);
    }

    [Fact]
    public async Task UpgradingMovesTheVotesPerContestantOntoTheVotersEpisodeRows()
    {
        var (show, alice, _) = await VotedShowAsync();
        var before = (await Store.GetAnalyticsAsync(show.Episode, Ct))!;
        // The schema as migration 0012 left it: the counts in a table of their own, filled from the
        // ledger as 0010 filled it, and no contestant_votes on the voters' episode rows.
        await Database.ExecuteAsync(
            """
            CREATE TABLE voter_contestant (episode_id BIGINT NOT NULL, contestant_id BIGINT NOT NULL, voter_id BIGINT NOT NULL, votes BIGINT NOT NULL,
                PRIMARY KEY (episode_id, contestant_id, voter_id))
            """);
        await Database.ExecuteAsync(
            "INSERT INTO voter_contestant SELECT episode_id, contestant_id, voter_id, SUM(vote_count) FROM votes GROUP BY episode_id, contestant_id, voter_id");
        // A count without its voter_episode row (no path makes one) is kept on a row of zeros, not lost.
        var elsewhere = show.Episode.Value + 1000;
        await Database.ExecuteAsync("INSERT INTO voter_contestant (episode_id, contestant_id, voter_id, votes) VALUES ($1, 999, $2, 4)", elsewhere, alice.Value);
        await Database.ExecuteAsync("ALTER TABLE voter_episode DROP COLUMN contestant_votes");
        Assert.Equal(1, await Database.ExecuteAsync("DELETE FROM schema_migrations WHERE version = 13"));

        await Store.MigrateAsync(Ct);

        var orphan = Assert.Single(await Database.QueryAsync(
            "SELECT votes_cast, CAST(contestant_votes AS TEXT) FROM voter_episode WHERE episode_id = $1 AND voter_id = $2", elsewhere, alice.Value));
        Assert.Equal(0L, Convert.ToInt64(orphan[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new List<(long, long)> { (999, 4) }, ContestantVotesColumn.Parse((string)orphan[1]!));
        var after = (await Store.GetAnalyticsAsync(show.Episode, Ct))!;
        Assert.Equal(before.VotersByContestant.OrderBy(kv => kv.Key.Value), after.VotersByContestant.OrderBy(kv => kv.Key.Value));
        Assert.True((await Store.AuditEpisodeAsync(show.Episode, Ct)).Consistent);
        // Votes after the upgrade add to the moved counts.
        Accepted(await CommitOneAsync(Vote(alice, show.Contestants[2], VoteType.Paid, 1)));
        Assert.Equal(2, (await Store.GetAnalyticsAsync(show.Episode, Ct))!.VotersByContestant[show.Contestants[2]]);
        Assert.True((await Store.AuditEpisodeAsync(show.Episode, Ct)).Consistent);
    }

    [Fact]
    public async Task VotesPerContestantThatCannotBeReadAreRefusedOrMakeTheAuditInconsistent()
    {
        var (show, alice, _) = await VotedShowAsync();
        const string Garbage = "UPDATE voter_episode SET contestant_votes = 'not json' WHERE episode_id = $1 AND voter_id = $2";
        if (Kind == StoreKind.Postgres)
        {
            // jsonb refuses it: the column can only hold JSON.
            var refused = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => Database.ExecuteAsync(Garbage, show.Episode.Value, alice.Value));
            Assert.Equal("22P02", refused.SqlState); // invalid_text_representation
            Assert.True((await Store.AuditEpisodeAsync(show.Episode, Ct)).Consistent);
            return;
        }
        Assert.Equal(1, await Database.ExecuteAsync(Garbage, show.Episode.Value, alice.Value));
        var audit = await Store.AuditEpisodeAsync(show.Episode, Ct);
        Assert.False(audit.AnalyticsConsistent);
        Assert.False(audit.Consistent);
    }

    [Theory]
    [InlineData("UPDATE voter_episode SET contestant_votes = '{}' WHERE episode_id = $1 AND voter_id = $2", true)]
    [InlineData("UPDATE voter_episode SET contestant_votes = '{\"999\": 1}' WHERE episode_id = $1 AND voter_id = $2", true)]
    [InlineData("INSERT INTO episode_sms_revenue (episode_id, charges, cents) VALUES ($1, 1, 25 + $2 - $2)", true)]
    [InlineData("UPDATE voter_episode SET points = points + 1 WHERE episode_id = $1 AND voter_id = $2", false)]
    public async Task ATamperedAnalyticsCounterMakesTheAuditInconsistent(string tamper, bool analyticsCounter)
    {
        var (show, alice, _) = await VotedShowAsync();
        Assert.True((await Store.AuditEpisodeAsync(show.Episode, Ct)).Consistent);

        Assert.True(await Database.ExecuteAsync(tamper, show.Episode.Value, alice.Value) >= 1);

        var audit = await Store.AuditEpisodeAsync(show.Episode, Ct);
        Assert.True(audit.TalliesConsistent);
        Assert.Equal(!analyticsCounter, audit.AnalyticsConsistent);
        Assert.Equal(analyticsCounter, audit.VoterCountersConsistent);
        Assert.False(audit.Consistent);
    }
}

public sealed class SqliteAnalyticsContractTests() : AnalyticsContractTests(StoreKind.Sqlite);

public sealed class PostgresAnalyticsContractTests() : AnalyticsContractTests(StoreKind.Postgres);
