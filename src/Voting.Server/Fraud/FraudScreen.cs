using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Voting.Domain.Fraud;
using Voting.Domain.Voting;
using Voting.Storage;
using Voting.Storage.Fraud;

namespace Voting.Server.Fraud;

/// <summary>A vote's verdict: the score, its inputs, and the refusal if it is refused.</summary>
/// <param name="Episode">The episode the vote is for (the open one when the vote names none; 0 when unknown).</param>
public sealed record FraudVerdict(FraudScore Score, FraudInputs Inputs, string? Ip, string? DeviceId, long Episode = 0)
{
    public VoteRefusal? Refusal => Score.GeoBlocked ? VoteRefusal.VoteGeoBlocked : Score.Outcome == FraudOutcome.Block ? VoteRefusal.VoteBlocked : null;
}

/// <summary>
/// Scores votes on the way to the writer (DESIGN.md "Fraud rules"): gathers the inputs from
/// in-memory signals, runs the pure rules, and remembers what each accepted vote adds to the
/// signals. Never reads the ledger per vote.
/// </summary>
public sealed class FraudScreen(IOptions<FraudOptions> options, FraudSignals signals, IpIntelligence ips, TravelMarks travel,
    ICatalogStore catalog, BlockedRecorder blocked, TimeProvider time, ILogger<FraudScreen> logger)
{
    private readonly FraudSettings _settings = options.Value.ToSettings();
    private long _openEpisode;
    private long _openEpisodeReadAt;

    public bool Enabled { get; } = options.Value.Enabled;

    /// <summary>Scores an app vote. Records the attempt (the timing rule counts refused attempts too).</summary>
    public async ValueTask<FraudVerdict> ScreenVoteAsync(VoteCommand command, GeoPoint? location)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var voter = command.Voter.Value;
        var (recent, attempts) = signals.Attempt(voter, now);
        var episode = command.Episode?.Value ?? await OpenEpisodeAsync(now);
        var address = ParseAddress(command.Client.Ip);
        var inputs = new FraudInputs(recent, command.Request.Count, signals.VotersOnDevice(episode, command.Client.DeviceId, voter),
            ips.IsProxy(address), ips.CountryOf(address), travel.IsTravelling(voter, now), attempts, location);
        return new FraudVerdict(FraudScoring.Score(inputs, _settings), inputs, command.Client.Ip, command.Client.DeviceId, episode);
    }

    /// <summary>Scores a text on its number's velocity and timing only (a text carries no address, device or GPS of the phone).</summary>
    public FraudVerdict ScreenText(string number)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var (recent, attempts) = signals.AttemptByNumber(number, now);
        var inputs = new FraudInputs(recent, 1, 0, false, null, false, attempts);
        return new FraudVerdict(FraudScoring.Score(inputs, _settings), inputs, null, null);
    }

    /// <summary>The mark a vote carries to the writer, or null for a pass.</summary>
    public FraudMark? MarkOf(FraudVerdict v)
    {
        if (v.Score.Outcome == FraudOutcome.Pass && !v.Score.GeoBlocked) return null;
        return new FraudMark(v.Score.Hundredths, string.Join(',', v.Score.Reasons), InputsJson(v),
            Block: v.Score.Outcome == FraudOutcome.Block, Geo: v.Score.GeoBlocked);
    }

    /// <summary>
    /// After the writer's answer: an accepted vote adds to the signals; a vote refused for its
    /// score or country is kept with its reasons and inputs (waiting until it is stored).
    /// </summary>
    public async Task AfterAsync(VoteCommand command, FraudVerdict v, VoteOutcome outcome)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        switch (outcome)
        {
            case VoteAccepted { Replayed: false } a:
                signals.Accepted(command.Voter.Value, now, command.Request.Count);
                signals.DeviceUsed(a.Episode.Value, command.Client.DeviceId, command.Voter.Value, now);
                if (v.Score.Outcome == FraudOutcome.Review) Flagged(command.Voter.Value, "queued for review", v);
                break;
            case VoteRefused { Refusal: VoteRefusal.VoteBlocked or VoteRefusal.VoteGeoBlocked } r:
                Flagged(command.Voter.Value, r.Refusal == VoteRefusal.VoteGeoBlocked ? "geo-blocked" : "blocked", v);
                await blocked.RecordAsync(new BlockedAttempt(command.Voter.Value, command.Episode?.Value ?? (v.Episode == 0 ? null : v.Episode), command.Request.Contestant.Value,
                    command.Request.Type.ToWire(), command.Request.Count, v.Score.Hundredths, string.Join(',', v.Score.Reasons),
                    r.Refusal == VoteRefusal.VoteGeoBlocked, InputsJson(v), v.Ip, v.DeviceId, now));
                break;
        }
    }

    /// <summary>After a text's answer: a counted text adds to its number's signals; one refused for its score is kept.</summary>
    public async Task AfterTextAsync(string number, FraudVerdict v, SmsAnswered answer)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (answer.Replayed) return;
        if (answer.Counted)
        {
            signals.AcceptedByNumber(number, now, 1);
            return;
        }
        if (answer.Outcome != VoteRefusal.VoteBlocked.Code()) return;
        var what = $"text from {PhoneMask(number)} blocked";
        FraudLog.Flagged(logger, 0, what, v.Score.Value, v.Score.Reasons);
        await blocked.RecordAsync(new BlockedAttempt(answer.Voter, answer.Episode, answer.Contestant, VoteType.Sms.ToWire(), answer.Count,
            v.Score.Hundredths, string.Join(',', v.Score.Reasons), false, InputsJson(v), null, null, now));
    }

    private void Flagged(long voter, string outcome, FraudVerdict v) => FraudLog.Flagged(logger, voter, outcome, v.Score.Value, v.Score.Reasons);

    private static string PhoneMask(string number) => number.Length > 4 ? new string('*', number.Length - 4) + number[^4..] : number;

    /// <summary>The episode whose voting is open, read at most once a second (for the device rule of votes that name no episode).</summary>
    private async ValueTask<long> OpenEpisodeAsync(long now)
    {
        var readAt = Volatile.Read(ref _openEpisodeReadAt);
        if (readAt != 0 && now - readAt < 1000) return Volatile.Read(ref _openEpisode);
        Volatile.Write(ref _openEpisodeReadAt, now);
        try
        {
            var open = await catalog.GetOpenEpisodeAsync(CancellationToken.None);
            Volatile.Write(ref _openEpisode, open?.Id.Value ?? 0);
            return open?.Id.Value ?? 0;
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException or IOException)
        {
            // The store is unreachable: the vote's own transaction will say so (503); the device rule uses the last episode known.
            return Volatile.Read(ref _openEpisode);
        }
    }

    private static IPAddress? ParseAddress(string? ip) => ip is not null && IPAddress.TryParse(ip, out var a) ? a : null;

    private static string InputsJson(FraudVerdict v) => JsonSerializer.Serialize(new InputsRecord(v.Inputs.RecentVotes, v.Inputs.VoteCount,
        v.Inputs.VotersOnDevice, v.Inputs.IsProxy, v.Inputs.Country, v.Inputs.Travelling, v.Inputs.AttemptTimesMs,
        v.Inputs.Location is { } l ? [l.Latitude, l.Longitude] : null, v.Ip, v.DeviceId), FraudJson.Default.InputsRecord);
}

/// <summary>The score's inputs as kept with a review or a blocked attempt (so a model could be trained on them later).</summary>
public sealed record InputsRecord(long RecentVotes, long VoteCount, int VotersOnDevice, bool IsProxy, string? Country, bool Travelling,
    IReadOnlyList<long> AttemptTimesMs, double[]? Location, string? Ip, string? DeviceId);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(InputsRecord))]
internal sealed partial class FraudJson : JsonSerializerContext;
