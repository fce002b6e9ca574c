using Voting.Domain;
using Voting.Domain.Show;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Show;

/// <summary>
/// What the control room's signals and the operators' show control share: an event and its fields
/// made into a command of the show's state machine, and the answer to a change it refused.
/// </summary>
internal static class ShowCommands
{
    public const int MaxSongName = 200;
    public const long DefaultVotingSeconds = 1800;

    public const string Events = "SHOW_START, PERFORMANCE_START, PERFORMANCE_END, VOTING_OPEN, VOTING_CLOSE, SHOW_END";

    /// <summary>The command of an event; <paramref name="prefix"/> is how the fields are named in the body ("data." in a signal).</summary>
    public static (ShowCommand? Command, IResult? Error) From(string? @event, long? contestantId, string? songName, long? duration, string prefix)
    {
        if (@event is null) return (null, JsonBody.Missing("event"));
        if (songName is { Length: > MaxSongName }) return (null, Api.BadRequest($"{prefix}song_name must be at most {MaxSongName} characters"));
        switch (@event)
        {
            case "SHOW_START": return (new StartShow(), null);
            case "PERFORMANCE_END": return (new EndPerformance(), null);
            case "VOTING_CLOSE": return (new CloseVoting(CloseReason.Signal), null);
            case "SHOW_END": return (new EndShow(), null);
            case "PERFORMANCE_START":
                if (contestantId is not { } contestant) return (null, JsonBody.Missing($"{prefix}contestant_id"));
                if (contestant < 1) return (null, Api.BadRequest($"{prefix}contestant_id must be a positive integer"));
                return (new StartPerformance(new ContestantId(contestant), string.IsNullOrWhiteSpace(songName) ? null : songName.Trim()), null);
            case "VOTING_OPEN":
                var seconds = duration ?? DefaultVotingSeconds;
                if (seconds is < 1 or > 86_400) return (null, Api.BadRequest($"{prefix}duration must be between 1 and 86400 seconds"));
                return (new OpenVoting(TimeSpan.FromSeconds(seconds)), null);
            default:
                return (null, Api.BadRequest($"event must be one of {Events}"));
        }
    }

    /// <summary>The answer to a change the state machine did not apply.</summary>
    public static IResult Refused(ShowChange change, EpisodeId episode, ShowCommand command) => change.Status switch
    {
        ShowChangeStatus.NotFound => Api.NotFound("EPISODE_NOT_FOUND", "Episode not found"),
        ShowChangeStatus.NotInLineup => Api.Unprocessable("INVALID_CONTESTANT", "The contestant is not in this episode's line-up"),
        ShowChangeStatus.OtherEpisodeOpen => Api.Conflict("VOTING_ALREADY_OPEN", $"Voting is already open for episode {change.OtherEpisode}"),
        _ when change.Refusal == ShowRefusal.AlreadyOpen => Api.Conflict("VOTING_ALREADY_OPEN", $"Voting is already open for episode {episode}"),
        _ => Api.Conflict("INVALID_TRANSITION", $"{command.Name} is not allowed while the show is {ShowWire.Name(change.Show!.State)}"),
    };
}
