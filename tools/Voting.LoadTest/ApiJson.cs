using System.Text.Json.Serialization;

namespace Voting.LoadTest;

internal sealed record OtpRequest(string PhoneNumber);
internal sealed record TokenRequest(string PhoneNumber, string Code);
internal sealed record CreditRequest(int Amount, string Reason);
internal sealed record CastVoteRequest(long ContestantId, string VoteType, int VoteCount);

internal sealed record Envelope<T>(bool Success, T? Data, string? ErrorCode, IReadOnlyList<string>? Errors);
internal sealed record OtpData(string? DevCode);
internal sealed record TokenData(string? AccessToken, long UserId);
internal sealed record CreditData(long Balance);
internal sealed record EpisodeData(long Id, string? Title, bool VotingActive);
internal sealed record ContestantData(long Id, string? Name, string? Status, int BallotNumber = 0);
internal sealed record MeData(long UserId, string? AccountToken);
internal sealed record CurrentEpisodeData(EpisodeData? Episode, IReadOnlyList<ContestantData>? Contestants);

// Source-generated so the tool needs no reflection and uses the contract's snake_case.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true)]
[JsonSerializable(typeof(OtpRequest))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(CreditRequest))]
[JsonSerializable(typeof(CastVoteRequest))]
[JsonSerializable(typeof(Envelope<OtpData>))]
[JsonSerializable(typeof(Envelope<TokenData>))]
[JsonSerializable(typeof(Envelope<CreditData>))]
[JsonSerializable(typeof(Envelope<CurrentEpisodeData>))]
[JsonSerializable(typeof(Envelope<MeData>))]
[JsonSerializable(typeof(ReportDocument))]
internal sealed partial class LoadTestJson : JsonSerializerContext;
