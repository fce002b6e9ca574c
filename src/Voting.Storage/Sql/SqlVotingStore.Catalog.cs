using System.Data.Common;
using Voting.Domain;
using Voting.Domain.Show;
using Voting.Domain.Voting;

namespace Voting.Storage.Sql;

public abstract partial class SqlVotingStore
{
    private const string EpisodeColumns =
        "id, season_id, episode_number, title, description, air_date, voting_state, voting_start, voting_end";

    public Task<long> CreateSeasonAsync(string name, int year, string status, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) => SqlValue.Long(await ScalarAsync(c, tx,
            "INSERT INTO seasons (name, year, status, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            ct, name, year, status, NowMs)), ct);

    public Task<long> CreateContestantAsync(NewContestant contestant, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) => SqlValue.Long(await ScalarAsync(c, tx,
            "INSERT INTO contestants (name, khmer_name, hometown, age, bio, photo_url, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            ct, contestant.Name, contestant.KhmerName, contestant.Hometown, SqlArg.Int(contestant.Age), contestant.Bio, contestant.PhotoUrl, NowMs)), ct);

    public Task<CatalogResult> CreateEpisodeAsync(NewEpisode episode, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            var x = episode;
            if (await ScalarAsync(c, tx, "SELECT id FROM seasons WHERE id = $1", ct, x.SeasonId) is null)
                return new CatalogResult(CatalogStatus.SeasonNotFound);
            // The unique key decides between concurrent creations (a check first would let both through to the insert).
            var id = await ScalarAsync(c, tx,
                "INSERT INTO episodes (season_id, episode_number, title, description, air_date, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING id",
                ct, x.SeasonId, x.EpisodeNumber, x.Title, x.Description, SqlArg.Int(x.AirDate?.ToUnixTimeMilliseconds()), NowMs);
            return id is null
                ? new CatalogResult(CatalogStatus.Conflict, Detail: "episode_number is already taken in this season")
                : new CatalogResult(CatalogStatus.Ok, SqlValue.Long(id));
        }, ct);

    public Task<CatalogResult> AddToLineupAsync(EpisodeId episode, ContestantId contestant, int ballotNumber, string? song, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            if (await ScalarAsync(c, tx, "SELECT id FROM episodes WHERE id = $1", ct, episode.Value) is null)
                return new CatalogResult(CatalogStatus.EpisodeNotFound);
            if (await ScalarAsync(c, tx, "SELECT id FROM contestants WHERE id = $1", ct, contestant.Value) is null)
                return new CatalogResult(CatalogStatus.ContestantNotFound);
            // Both unique keys (contestant, ballot number) decide between concurrent additions.
            return await ExecAsync(c, tx,
                    "INSERT INTO episode_contestants (episode_id, contestant_id, ballot_number, song_performed) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    ct, episode.Value, contestant.Value, ballotNumber, song) == 1
                ? new CatalogResult(CatalogStatus.Ok, ballotNumber)
                : new CatalogResult(CatalogStatus.Conflict, Detail: "contestant or performance_order already in this episode's line-up");
        }, ct);

    public async Task<WindowResult> OpenVotingAsync(EpisodeId episode, TimeSpan duration, CancellationToken ct)
    {
        var change = await ChangeShowAsync(episode, new OpenVoting(duration), "operator", null, ct);
        return change.Status switch
        {
            ShowChangeStatus.Applied => new WindowResult(WindowStatus.Ok, change.Show!.Status.VotingStart, change.Show.Status.VotingEnd),
            ShowChangeStatus.NotFound => new WindowResult(WindowStatus.NotFound),
            ShowChangeStatus.OtherEpisodeOpen => new WindowResult(WindowStatus.AlreadyOpen, OtherEpisode: change.OtherEpisode),
            _ when change.Refusal == ShowRefusal.AlreadyOpen => new WindowResult(WindowStatus.AlreadyOpen, OtherEpisode: episode.Value),
            _ => new WindowResult(WindowStatus.InvalidTransition),
        };
    }

    /// <summary>Closes by the operator; closing a closed window again answers as the first close did.</summary>
    public async Task<WindowResult> CloseVotingAsync(EpisodeId episode, CancellationToken ct)
    {
        var change = await ChangeShowAsync(episode, new CloseVoting(CloseReason.Operator), "operator", null, ct);
        var status = change.Show?.Status;
        return change.Status switch
        {
            ShowChangeStatus.Applied => new WindowResult(WindowStatus.Ok, status!.VotingStart, status.VotingEnd),
            ShowChangeStatus.NotFound => new WindowResult(WindowStatus.NotFound),
            _ when change.Refusal == ShowRefusal.AlreadyClosed => new WindowResult(WindowStatus.Ok, status!.VotingStart, status.VotingEnd),
            _ => new WindowResult(WindowStatus.InvalidTransition),
        };
    }

    public Task<CatalogResult> EliminateAsync(ContestantId contestant, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            var n = await ExecAsync(c, tx,
                "UPDATE contestants SET status = 'eliminated', eliminated_at = COALESCE(eliminated_at, $2) WHERE id = $1",
                ct, contestant.Value, NowMs);
            return new CatalogResult(n == 0 ? CatalogStatus.ContestantNotFound : CatalogStatus.Ok, contestant.Value);
        }, ct);

    public Task<bool> AnySeasonAsync(CancellationToken ct) =>
        ReadAsync(async c => await ScalarAsync(c, null, "SELECT id FROM seasons LIMIT 1", ct) is not null, ct);

    public Task<EpisodeRecord?> GetEpisodeAsync(EpisodeId episode, CancellationToken ct) =>
        ReadAsync(c => EpisodeAsync(c, null, "WHERE id = $1", ct, episode.Value), ct);

    public Task<EpisodeRecord?> GetOpenEpisodeAsync(CancellationToken ct) =>
        ReadAsync(c => EpisodeAsync(c, null, "WHERE voting_state = 'open' AND voting_end > $1 ORDER BY id DESC LIMIT 1", ct, NowMs), ct);

    public Task<EpisodeRecord?> GetNextEpisodeAsync(CancellationToken ct) =>
        ReadAsync(c => EpisodeAsync(c, null,
            "WHERE voting_state = 'idle' ORDER BY CASE WHEN air_date IS NULL THEN 1 ELSE 0 END, air_date, id LIMIT 1", ct), ct);

    public Task<IReadOnlyList<LineupContestant>> GetLineupAsync(EpisodeId episode, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<LineupContestant>>(async c => await LineupAsync(c, null, episode.Value, ct), ct);

    private Task<List<LineupContestant>> LineupAsync(DbConnection c, DbTransaction? tx, long episode, CancellationToken ct) =>
        QueryAsync(c, tx,
            """
            SELECT c.id, c.name, c.khmer_name, c.bio, c.hometown, c.age, c.photo_url, c.status, ec.ballot_number, ec.song_performed
            FROM episode_contestants ec JOIN contestants c ON c.id = ec.contestant_id
            WHERE ec.episode_id = $1 ORDER BY ec.ballot_number
            """,
            r => new LineupContestant(new ContestantId(r.GetInt64(0)), r.GetString(1), r.S(2), r.S(3), r.S(4), r.NI(5), r.S(6), r.GetString(7), (int)r.L(8), r.S(9)),
            ct, episode);

    private async Task<EpisodeRecord?> EpisodeAsync(DbConnection c, DbTransaction? tx, string where, CancellationToken ct, params object?[] args)
    {
        var rows = await QueryAsync(c, tx, $"SELECT {EpisodeColumns} FROM episodes {where}", MapEpisode, ct, args);
        return rows.Count == 0 ? null : rows[0];
    }

    private static EpisodeRecord MapEpisode(DbDataReader r)
    {
        var id = new EpisodeId(r.GetInt64(0));
        return new EpisodeRecord(id, r.GetInt64(1), (int)r.L(2), r.GetString(3), r.S(4), r.T(5),
            new EpisodeWindow(id, r.GetString(6), r.T(7), r.T(8)));
    }
}
