using Voting.Domain.Show;
using Voting.Storage;

namespace Voting.Server.Live;

/// <summary>The show as pages and apps see it (STATE_UPDATE data).</summary>
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
