using Voting.Domain.Show;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Show;

/// <summary>The show as pages and apps see it: the show's read, and STATE_UPDATE's data on the push channels.</summary>
public static class ShowView
{
    public static ShowStateDto ToDto(ShowRecord show, DateTimeOffset now)
    {
        var s = show.Status;
        var performer = s.State == ShowState.Performance && show.Performer is { } p
            ? new PerformerDto(p.Contestant.Value, p.Name, p.Song, p.BallotNumber, p.PhotoUrl)
            : null;
        var voting = s.VotingStart is { } start && s.VotingEnd is { } end
            ? new VotingDto(LiveJson.Time(start), LiveJson.Time(end), SecondsRemaining(show, now))
            : null;
        return new ShowStateDto(ShowWire.Name(s.State), new EpisodeRefDto(show.Episode.Value, show.Title), performer, voting);
    }

    /// <summary>Whole seconds until the close, rounded up; 0 unless voting is open.</summary>
    public static long SecondsRemaining(ShowRecord show, DateTimeOffset now) =>
        show.State == ShowState.VotingOpen && show.Status.VotingEnd is { } end && end > now
            ? (long)Math.Ceiling((end - now).TotalMilliseconds / 1000.0)
            : 0;
}

// Part of the push message contract shared with the results page and the apps (keep it exactly).

public sealed record EpisodeRefDto(long Id, string Title);

public sealed record PerformerDto(long ContestantId, string Name, string? SongName, int BallotNumber, string? PhotoUrl);

public sealed record VotingDto(string OpensAt, string ClosesAt, long Remaining);

/// <summary>STATE_UPDATE data, and the data of GET /api/v1/xfactor/show/{episode_id}.</summary>
public sealed record ShowStateDto(string State, EpisodeRefDto Episode, PerformerDto? Performer, VotingDto? Voting);
