using System.Data.Common;
using Voting.Domain;

namespace Voting.Storage.Sql;

public abstract partial class SqlVotingStore
{
    private const string ContestantColumns = "id, name, khmer_name, hometown, age, bio, photo_url, status, eliminated_at, created_at";

    public Task<IReadOnlyList<SeasonRecord>> ListSeasonsAsync(CancellationToken ct) =>
        ReadAsync<IReadOnlyList<SeasonRecord>>(async c => await QueryAsync(c, null,
            "SELECT id, name, year, status, created_at FROM seasons ORDER BY year DESC, id DESC",
            r => new SeasonRecord(r.GetInt64(0), r.GetString(1), (int)r.L(2), r.GetString(3), SqlValue.FromMs(r.L(4))), ct), ct);

    public Task<IReadOnlyList<EpisodeRecord>> ListEpisodesAsync(long? season, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<EpisodeRecord>>(async c => season is { } s
            ? await QueryAsync(c, null, $"SELECT {EpisodeColumns} FROM episodes WHERE season_id = $1 ORDER BY episode_number, id", MapEpisode, ct, s)
            : await QueryAsync(c, null, $"SELECT {EpisodeColumns} FROM episodes ORDER BY season_id, episode_number, id", MapEpisode, ct), ct);

    public Task<IReadOnlyList<ContestantRecord>> ListContestantsAsync(CancellationToken ct) =>
        ReadAsync<IReadOnlyList<ContestantRecord>>(async c => await QueryAsync(c, null,
            $"SELECT {ContestantColumns} FROM contestants ORDER BY id", MapContestant, ct), ct);

    public Task<ContestantRecord?> UpdateContestantAsync(ContestantId contestant, ContestantPatch patch, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            var rows = await QueryAsync(c, tx, $"SELECT {ContestantColumns} FROM contestants WHERE id = $1 {ForUpdate}", MapContestant, ct, contestant.Value);
            if (rows.Count == 0) return null;
            var x = rows[0];
            var changed = x with
            {
                Name = patch.Name.Or(x.Name),
                KhmerName = patch.KhmerName.Or(x.KhmerName),
                Hometown = patch.Hometown.Or(x.Hometown),
                Age = patch.Age.Or(x.Age),
                Bio = patch.Bio.Or(x.Bio),
                PhotoUrl = patch.PhotoUrl.Or(x.PhotoUrl),
            };
            await ExecAsync(c, tx,
                "UPDATE contestants SET name = $2, khmer_name = $3, hometown = $4, age = $5, bio = $6, photo_url = $7 WHERE id = $1", ct,
                contestant.Value, changed.Name, SqlArg.Text(changed.KhmerName), SqlArg.Text(changed.Hometown), SqlArg.Int(changed.Age),
                SqlArg.Text(changed.Bio), SqlArg.Text(changed.PhotoUrl));
            return changed;
        }, ct);

    public Task<OutboxCounts> CountOutboxAsync(CancellationToken ct) =>
        ReadAsync(async c => new OutboxCounts(
            SqlValue.Long(await ScalarAsync(c, null, "SELECT COUNT(*) FROM outbox WHERE status = $1", ct, OutboxStatuses.Pending)),
            SqlValue.Long(await ScalarAsync(c, null, "SELECT COUNT(*) FROM outbox WHERE status = $1", ct, OutboxStatuses.Dead))), ct);

    private static ContestantRecord MapContestant(DbDataReader r) =>
        new(new ContestantId(r.GetInt64(0)), r.GetString(1), r.S(2), r.S(3), r.NI(4), r.S(5), r.S(6), r.GetString(7), r.T(8), SqlValue.FromMs(r.L(9)));
}
