using System.Net;
using Voting.Server.Tests.Infrastructure;

namespace Voting.Server.Tests.Reliability;

/// <summary>What a check after a fault found: each figure that must be zero, and what was counted.</summary>
public sealed record CheckFigures(int AcknowledgedVotes, int Lost, int DoubleCounted, int Overspent, int ReplayMismatches, int TextsRedelivered);

/// <summary>
/// The promises checked after a crash or fault, on a running server over the same database:
/// every acknowledged vote, credit and purchase is in the ledger exactly once; a request sent
/// again with its key replays the first answer (a text: the same answer, counted once); the
/// episode's tallies and every voter counter equal the ledger; wallets equal their entries
/// minus paid votes; no balance, bundle, free-vote or SMS-day limit is overspent.
/// </summary>
public static class LedgerChecks
{
    public static async Task<CheckFigures> VerifyAsync(TestDatabase db, ServerProcess server, TestEpisode episode, LoadRecord record)
    {
        Assert.Empty(record.Unexpected);
        var rows = (await db.QueryAsync("SELECT id, voter_id, idempotency_key FROM votes"))
            .ToDictionary(r => Convert.ToInt64(r[0]), r => (Voter: Convert.ToInt64(r[1]), Key: r[2] as string));
        var acknowledged = record.Acknowledged.ToList();
        var lost = acknowledged.Count(a => !rows.TryGetValue(a.VoteId, out var row) || row.Voter != a.Vote.Voter.UserId || row.Key != a.Vote.Key);
        var doubled = (int)await db.CountAsync(
            "SELECT COUNT(*) FROM (SELECT voter_id, idempotency_key FROM votes WHERE idempotency_key IS NOT NULL GROUP BY voter_id, idempotency_key HAVING COUNT(*) > 1) d");

        // Sent again with the same key: an acknowledged vote replays its vote id; one in flight or refused with 503 settles once.
        var mismatches = 0;
        foreach (var (vote, id) in acknowledged.Take(25))
        {
            var again = await server.Api.VoteAsync(vote.Voter.Token, vote.Contestant, vote.Type, key: vote.Key);
            if (again.Code != 200 || again.Data.GetProperty("vote_id").GetInt64() != id) mismatches++;
        }
        var settled = acknowledged.Select(a => a.Vote.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var vote in record.Unsettled.Where(v => !settled.Contains(v.Key)))
        {
            var again = await server.Api.VoteAsync(vote.Voter.Token, vote.Contestant, vote.Type, key: vote.Key);
            Assert.True(again.Code is 200 or 422, $"a vote sent again after the fault answered {again.Code} {again.ErrorCode}");
        }

        // The carrier delivers every text again: each is counted once and answered as the first time.
        var sms = new SmsDriver(server.Client);
        foreach (var text in record.Texts)
        {
            var again = await sms.TextAsync(text.Carrier, text.Phone, text.Text, text.MessageId, text.ReceivedAt);
            Assert.Equal(HttpStatusCode.OK, again.Status);
            if (text.FirstAnswer is { } first && first != again.Body) mismatches++;
            var stored = await db.CountAsync("SELECT COUNT(*) FROM sms_messages WHERE carrier = $1 AND message_id = $2", text.Carrier, text.MessageId);
            if (stored != 1) doubled++;
        }
        doubled += (int)await db.CountAsync("SELECT COUNT(*) FROM (SELECT vote_id FROM sms_messages WHERE vote_id IS NOT NULL GROUP BY vote_id HAVING COUNT(*) > 1) d");

        foreach (var key in record.Credits)
            if (await db.CountAsync("SELECT COUNT(*) FROM wallet_entries WHERE idempotency_key = $1", "admin:" + key) is var n && n != 1)
                if (n == 0) lost++; else doubled++;
        foreach (var (_, purchase) in record.Purchases)
            if (await db.CountAsync("SELECT COUNT(*) FROM purchases WHERE id = $1", purchase) != 1) lost++;

        var audit = await server.Api.AuditAsync(episode.EpisodeId);
        Assert.True(audit.GetProperty("consistent").GetBoolean(), $"tallies differ from the ledger: {audit}");
        Assert.True(audit.GetProperty("voter_counters_consistent").GetBoolean(), $"voter counters differ from the ledger: {audit}");
        Assert.Equal(await db.CountAsync("SELECT COUNT(*) FROM votes WHERE episode_id = $1", episode.EpisodeId), audit.GetProperty("vote_rows").GetInt64());
        var wallets = await server.Api.GetAsync("/api/v1/admin/audit/wallets", admin: true);
        Assert.True(wallets.Data.GetProperty("consistent").GetBoolean(), $"wallets differ from their entries: {wallets.Body}");

        var overspent = (int)(await db.CountAsync("SELECT COUNT(*) FROM voters WHERE vote_balance < 0")
            + await db.CountAsync("SELECT COUNT(*) FROM voter_episode WHERE free_used < 0 OR free_used > 5")
            + await db.CountAsync("SELECT COUNT(*) FROM voter_daily_sms WHERE used < 0 OR used > 50")
            + await db.CountAsync("SELECT COUNT(*) FROM bundles WHERE remaining_votes < 0 OR remaining_votes > granted_votes")
            + await db.CountAsync("""
                SELECT COUNT(*) FROM bundles b
                WHERE b.granted_votes - b.remaining_votes <> (SELECT COALESCE(SUM(v.vote_count), 0) FROM votes v WHERE v.bundle_id = b.id)
                """)
            + await db.CountAsync("""
                SELECT COUNT(*) FROM voter_episode ve
                WHERE ve.free_used <> (SELECT COALESCE(SUM(v.vote_count), 0) FROM votes v
                                       WHERE v.voter_id = ve.voter_id AND v.episode_id = ve.episode_id AND v.vote_type = 'free')
                """));

        Assert.Equal(0, lost);
        Assert.Equal(0, doubled);
        Assert.Equal(0, overspent);
        Assert.Equal(0, mismatches);
        return new CheckFigures(acknowledged.Count, lost, doubled, overspent, mismatches, record.Texts.Count);
    }
}
