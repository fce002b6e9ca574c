using Voting.Domain;
using Voting.Domain.Phones;
using Voting.Domain.Sms;

namespace Voting.Storage.Sql;

public abstract partial class SqlVotingStore
{
    public Task<SmsEpisodeStats> GetSmsStatsAsync(EpisodeId episode, CancellationToken ct) =>
        SnapshotAsync(async (c, tx) =>
        {
            var texts = await QueryAsync(c, tx,
                """
                SELECT carrier, outcome, COUNT(*), CAST(SUM(carrier_mismatch) AS BIGINT), CAST(SUM(late) AS BIGINT)
                FROM sms_messages WHERE episode_id = $1 GROUP BY carrier, outcome
                """,
                r => (Carrier: r.GetString(0), Outcome: r.GetString(1), Count: r.L(2), Mismatches: r.L(3), Late: r.L(4)), ct, episode.Value);
            // Every carrier-billed vote of the episode, by text or from the app, has its charge.
            var charges = await QueryAsync(c, tx,
                """
                SELECT cc.carrier, cc.status, COUNT(*), CAST(SUM(v.vote_count) AS BIGINT), CAST(SUM(cc.amount_cents) AS BIGINT)
                FROM carrier_charges cc JOIN votes v ON v.id = cc.vote_id WHERE v.episode_id = $1 GROUP BY cc.carrier, cc.status
                """,
                r => (Carrier: r.GetString(0), Status: r.GetString(1), Count: r.L(2), Votes: r.L(3), Cents: r.L(4)), ct, episode.Value);

            var names = CarrierNames.Billing.Select(x => x.ToWire())
                .Concat(texts.Select(t => t.Carrier)).Concat(charges.Select(x => x.Carrier)).Distinct(StringComparer.Ordinal);
            var carriers = names.Select(name =>
            {
                var mine = texts.Where(t => t.Carrier == name).ToList();
                var billed = charges.Where(x => x.Carrier == name).ToList();
                long Charges(string status) => billed.Where(x => x.Status == status).Sum(x => x.Count);
                long Cents(string status) => billed.Where(x => x.Status == status).Sum(x => x.Cents);
                return new CarrierSmsStats(name, mine.Sum(t => t.Count), mine.Where(t => t.Outcome == SmsReplies.Counted).Sum(t => t.Count),
                    mine.Where(t => t.Outcome != SmsReplies.Counted).ToDictionary(t => t.Outcome, t => t.Count, StringComparer.Ordinal),
                    mine.Sum(t => t.Mismatches), mine.Sum(t => t.Late), billed.Sum(x => x.Votes),
                    Charges("pending"), Charges("confirmed"), Charges("failed"), Charges("unknown"), Cents("confirmed"), Cents("pending"));
            }).ToList();
            return new SmsEpisodeStats(episode, Options.SmsCurrency, carriers);
        }, ct);
}
