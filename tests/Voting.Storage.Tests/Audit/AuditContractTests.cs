using System.Security.Cryptography;
using System.Text;
using Voting.Domain;
using Voting.Domain.Audit;
using Voting.Domain.Voting;
using Voting.Storage.Tests.Infrastructure;

namespace Voting.Storage.Tests.Audit;

/// <summary>The audit recomputes an episode from its ledger and notices any projection that disagrees.</summary>
public abstract class AuditContractTests(StoreKind kind) : VotingStoreContractTests(kind)
{
    private async Task<(Show Show, VoterId[] Voters)> VotedShowAsync()
    {
        var show = await OpenShowAsync();
        var (alice, bob) = (await SignInWithPaidVotesAsync(20), await SignInAsync());
        await Store.GrantBundleAsync(bob, 10, "promo", Ct);
        await CommitAsync(
            Vote(alice, show.Contestants[0], count: 2),
            Vote(alice, show.Contestants[1], VoteType.Paid, 7),
            Vote(bob, show.Contestants[1], VoteType.Bundle, 4),
            Vote(bob, show.Contestants[2], VoteType.Sms, 3));
        Clock.Advance(TimeSpan.FromMinutes(1));
        await CommitAsync(Vote(bob, show.Contestants[0], count: 5), Vote(alice, show.Contestants[2], VoteType.Paid, 1));
        return (show, [alice, bob]);
    }

    [Fact]
    public async Task TheDigestIsTheSha256OfTheEpisodesVoteLinesInIdOrder()
    {
        var (show, _) = await VotedShowAsync();
        var other = await CreateEpisodeAsync(show.Season, 2, 1);

        var audit = await Store.AuditEpisodeAsync(show.Episode, Ct);

        var rows = await Database.QueryAsync(
            "SELECT id, voter_id, episode_id, contestant_id, vote_type, vote_count, created_at FROM votes WHERE episode_id = $1 ORDER BY id",
            show.Episode.Value);
        var text = string.Concat(rows.Select(r => VoteDigest.Line(new DigestRow(
            Convert.ToInt64(r[0]), Convert.ToInt64(r[1]), Convert.ToInt64(r[2]), Convert.ToInt64(r[3]), (string)r[4]!,
            Convert.ToInt64(r[5]), Convert.ToInt64(r[6])))));
        Assert.Equal(6, rows.Count);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), audit.Digest);
        Assert.Equal(6, audit.VoteRows);
        Assert.Equal(Sha256OfNothing, (await Store.AuditEpisodeAsync(other.Id, Ct)).Digest);
    }

    private static readonly string Sha256OfNothing = Convert.ToHexStringLower(SHA256.HashData([]));

    [Fact]
    public async Task AnEpisodeWithoutVotesIsConsistentAndDigestsNothing()
    {
        var show = await OpenShowAsync();

        var audit = await Store.AuditEpisodeAsync(show.Episode, Ct);

        Assert.Equal(Sha256OfNothing, audit.Digest);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", audit.Digest);
        Assert.True(audit.Consistent);
        Assert.Equal((0L, 0L, 0L), (audit.LedgerVotes, audit.TallyVotes, audit.VoteRows));
    }

    [Fact]
    public async Task AnUntouchedEpisodeIsConsistentPerContestant()
    {
        var (show, _) = await VotedShowAsync();

        var audit = await Store.AuditEpisodeAsync(show.Episode, Ct);

        Assert.True(audit.Consistent);
        Assert.Equal((22L, 22L), (audit.LedgerVotes, audit.TallyVotes));
        Assert.Equal(
            [new(show.Contestants[0], 7, 7), new(show.Contestants[1], 11, 11), new ContestantAudit(show.Contestants[2], 4, 4)],
            audit.ByContestant);
    }

    [Fact]
    public async Task ATamperedTallyMakesTheTalliesInconsistent()
    {
        var (show, _) = await VotedShowAsync();

        Assert.Equal(1, await Database.ExecuteAsync(
            "UPDATE tallies SET votes = votes + 1 WHERE episode_id = $1 AND contestant_id = $2 AND vote_type = 'paid'",
            show.Episode.Value, show.Contestants[1].Value));

        var audit = await Store.AuditEpisodeAsync(show.Episode, Ct);
        Assert.False(audit.TalliesConsistent);
        Assert.True(audit.VoterCountersConsistent);
        Assert.False(audit.Consistent);
        Assert.Equal((22L, 23L), (audit.LedgerVotes, audit.TallyVotes));
        Assert.Contains(new ContestantAudit(show.Contestants[1], 11, 12), audit.ByContestant);
    }

    [Fact]
    public async Task ATamperedVoterCounterMakesTheVoterCountersInconsistent()
    {
        var (show, voters) = await VotedShowAsync();

        Assert.Equal(1, await Database.ExecuteAsync(
            "UPDATE voter_episode SET free_used = free_used - 1 WHERE voter_id = $1 AND episode_id = $2",
            voters[1].Value, show.Episode.Value));

        var audit = await Store.AuditEpisodeAsync(show.Episode, Ct);
        Assert.True(audit.TalliesConsistent);
        Assert.False(audit.VoterCountersConsistent);
        Assert.False(audit.Consistent);
    }

    [Fact]
    public async Task AVoteRowWithoutItsTallyMakesTheTalliesInconsistent()
    {
        var (show, voters) = await VotedShowAsync();

        await Database.ExecuteAsync(
            "INSERT INTO votes (voter_id, episode_id, contestant_id, vote_type, vote_count, payment_method, loyalty_points, created_at) VALUES ($1, $2, $3, 'free', 1, 'free', 2, 0)",
            voters[0].Value, show.Episode.Value, show.Contestants[2].Value);

        var audit = await Store.AuditEpisodeAsync(show.Episode, Ct);
        Assert.False(audit.TalliesConsistent);
        Assert.False(audit.VoterCountersConsistent);
        Assert.Equal((23L, 22L, 7L), (audit.LedgerVotes, audit.TallyVotes, audit.VoteRows));
    }
}

public sealed class SqliteAuditContractTests() : AuditContractTests(StoreKind.Sqlite);

public sealed class PostgresAuditContractTests() : AuditContractTests(StoreKind.Postgres);
