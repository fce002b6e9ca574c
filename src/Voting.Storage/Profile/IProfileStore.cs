using Voting.Domain;

namespace Voting.Storage;

/// <summary>A voter's profile: what they set, their lifetime loyalty points and their account token.</summary>
public sealed record VoterProfile(VoterId Id, string Phone, string? DisplayName, string? Province, string? Gender, string? DateOfBirth,
    long LoyaltyPoints, string AccountToken, DateTimeOffset CreatedAt);

/// <summary>The profile fields a change sets; a field left null is unchanged, a <c>Clear*</c> flag empties it.</summary>
public sealed record ProfileChange(string? DisplayName = null, string? Province = null, string? Gender = null, string? DateOfBirth = null,
    bool ClearDisplayName = false, bool ClearProvince = false, bool ClearGender = false, bool ClearDateOfBirth = false);

/// <summary>Voters' profiles.</summary>
public interface IProfileStore
{
    Task<VoterProfile?> GetProfileAsync(VoterId voter, CancellationToken ct);

    /// <summary>Applies the change and answers the profile after it; null when the voter does not exist.</summary>
    Task<VoterProfile?> UpdateProfileAsync(VoterId voter, ProfileChange change, CancellationToken ct);
}
