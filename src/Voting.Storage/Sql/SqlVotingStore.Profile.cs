using System.Data.Common;
using Voting.Domain;

namespace Voting.Storage.Sql;

public abstract partial class SqlVotingStore
{
    // Lifetime points: those of the voter's counted votes (a voided vote's points go with it).
    private const string ProfileSelect =
        """
        SELECT v.id, v.phone, v.display_name, v.province, v.gender, v.date_of_birth,
            CAST(COALESCE((SELECT SUM(x.loyalty_points) FROM votes x WHERE x.voter_id = v.id AND NOT EXISTS (SELECT 1 FROM vote_voids vv WHERE vv.vote_id = x.id)), 0) AS BIGINT),
            v.account_token, v.created_at
        FROM voters v WHERE v.id = $1
        """;

    private static VoterProfile ReadProfile(DbDataReader r) =>
        new(new VoterId(r.L(0)), r.GetString(1), r.S(2), r.S(3), r.S(4), r.S(5), r.L(6), r.GetString(7), r.T(8)!.Value);

    public Task<VoterProfile?> GetProfileAsync(VoterId voter, CancellationToken ct) =>
        ReadAsync(async c => (await QueryAsync(c, null, ProfileSelect, ReadProfile, ct, voter.Value)).FirstOrDefault(), ct);

    public Task<VoterProfile?> UpdateProfileAsync(VoterId voter, ProfileChange change, CancellationToken ct) =>
        InTransactionAsync(async (c, tx) =>
        {
            var sets = new List<string>();
            var args = new List<object?> { voter.Value };
            void Set(string column, string? value, bool clear)
            {
                if (value is null && !clear) return;
                args.Add(clear ? null : value);
                sets.Add($"{column} = ${args.Count}");
            }
            Set("display_name", change.DisplayName, change.ClearDisplayName);
            Set("province", change.Province, change.ClearProvince);
            Set("gender", change.Gender, change.ClearGender);
            Set("date_of_birth", change.DateOfBirth, change.ClearDateOfBirth);
            if (sets.Count > 0 && await ExecAsync(c, tx, $"UPDATE voters SET {string.Join(", ", sets)} WHERE id = $1", ct, [.. args]) == 0) return null;
            return (await QueryAsync(c, tx, ProfileSelect, ReadProfile, ct, voter.Value)).FirstOrDefault();
        }, ct);
}
