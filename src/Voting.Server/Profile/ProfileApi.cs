using System.Text.Json;
using Voting.Domain.Profile;
using Voting.Server.Infrastructure;
using Voting.Server.Voting;
using Voting.Storage;

namespace Voting.Server.Profile;

public sealed record ProfileDto(long UserId, string PhoneNumber, string? DisplayName, string? Province, string? Gender, string? DateOfBirth,
    long LoyaltyPoints, string LoyaltyTier, string AccountToken, DateTimeOffset CreatedAt)
{
    public static ProfileDto Of(VoterProfile p) => new(p.Id.Value, p.Phone, p.DisplayName, p.Province, p.Gender, p.DateOfBirth, p.LoyaltyPoints,
        LoyaltyTiers.Of(p.LoyaltyPoints), p.AccountToken, p.CreatedAt);
}

/// <summary>The body of PATCH /api/v1/me (for the API description; the handler reads the JSON itself to tell a null from a missing field).</summary>
public sealed record ProfileBody(string? DisplayName, string? Province, string? Gender, string? DateOfBirth);

/// <summary>
/// <c>GET/PATCH /api/v1/me</c>: the signed-in voter's profile. A field given as null is cleared, a field
/// left out is unchanged; every field is checked before anything is written.
/// </summary>
public static class ProfileApi
{
    public static IEndpointRouteBuilder MapProfileApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/me", GetAsync).RequireAuthorization().Produces<Envelope<ProfileDto>>().Produces<ErrorEnvelope>(StatusCodes.Status401Unauthorized);
        app.MapPatch("/api/v1/me", PatchAsync).RequireAuthorization().Accepts<ProfileBody>("application/json")
            .Produces<Envelope<ProfileDto>>()
            .Produces<ErrorEnvelope>(StatusCodes.Status400BadRequest)
            .Produces<ErrorEnvelope>(StatusCodes.Status401Unauthorized)
            .Produces<ErrorEnvelope>(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static async Task<IResult> GetAsync(HttpContext http, IProfileStore store, CancellationToken ct)
    {
        if (CastVote.VoterOf(http.User) is not { } voter || await store.GetProfileAsync(voter, ct) is not { } profile) return Api.Unauthorized();
        return Api.Ok(ProfileDto.Of(profile));
    }

    private static async Task<IResult> PatchAsync(HttpContext http, IProfileStore store, TimeProvider time, CancellationToken ct)
    {
        if (CastVote.VoterOf(http.User) is not { } voter) return Api.Unauthorized();
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return Api.BadRequest("Request body is not valid JSON");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return Api.BadRequest("Request body must be a JSON object");
            ProfileChange? change;
            IResult? problem;
            try
            {
                change = Parse(doc.RootElement, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), out problem);
            }
            catch (InvalidOperationException)
            {
                // A field name that is not text (bytes that are not UTF-8).
                return Api.BadRequest("Request body is not valid UTF-8 JSON");
            }
            if (change is null) return problem!;
            var profile = await store.UpdateProfileAsync(voter, change, ct);
            return profile is null ? Api.Unauthorized("Voter not found") : Api.Ok(ProfileDto.Of(profile));
        }
    }

    /// <summary>The change the body asks for, or the answer that refuses it.</summary>
    private static ProfileChange? Parse(JsonElement body, DateOnly today, out IResult? problem)
    {
        problem = null;
        var change = new ProfileChange();
        foreach (var field in body.EnumerateObject())
        {
            if (field.Value.ValueKind == JsonValueKind.Null)
            {
                change = field.Name switch
                {
                    "display_name" => change with { ClearDisplayName = true },
                    "province" => change with { ClearProvince = true },
                    "gender" => change with { ClearGender = true },
                    "date_of_birth" => change with { ClearDateOfBirth = true },
                    _ => change,
                };
                continue;
            }
            if (field.Name is not ("display_name" or "province" or "gender" or "date_of_birth")) continue;
            if (field.Value.ValueKind != JsonValueKind.String)
            {
                problem = Api.BadRequest($"Invalid value for field '{field.Name}'");
                return null;
            }
            // The same rule as every other body: text no store can hold is a 400 naming the field, on both stores alike.
            if (StorableText.Of(field.Value) is not { } text) return Fail(out problem, JsonBody.Unstorable(field.Name));
            switch (field.Name)
            {
                case "display_name":
                    if (VoterProfileRules.DisplayName(text) is not { } name)
                        return Fail(out problem, Api.BadRequest($"Invalid value for field 'display_name': 1-{VoterProfileRules.MaxDisplayNameLength} characters, no control characters"));
                    change = change with { DisplayName = name };
                    break;
                case "province":
                    if (Provinces.Find(text) is not { } province)
                        return Fail(out problem, Api.Unprocessable("INVALID_PROVINCE", $"Unknown province '{Shorten(text)}': one of {string.Join(", ", Provinces.All)}"));
                    change = change with { Province = province };
                    break;
                case "gender":
                    if (!VoterProfileRules.Genders.Contains(text))
                        return Fail(out problem, Api.BadRequest("Invalid value for field 'gender': one of female, male, other"));
                    change = change with { Gender = text };
                    break;
                default:
                    if (VoterProfileRules.DateOfBirth(text, today) is not { } born)
                        return Fail(out problem, Api.Unprocessable("INVALID_DATE_OF_BIRTH",
                            $"date_of_birth must be a date YYYY-MM-DD, not in the future and at most {VoterProfileRules.MaxAgeYears} years ago"));
                    change = change with { DateOfBirth = born.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) };
                    break;
            }
        }
        return change;
    }

    private static ProfileChange? Fail(out IResult? problem, IResult answer)
    {
        problem = answer;
        return null;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
