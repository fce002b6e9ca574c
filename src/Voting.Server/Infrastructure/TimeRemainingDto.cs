namespace Voting.Server.Infrastructure;

/// <summary>The seed's countdown object: the whole seconds left, and the same split into days, hours, minutes and seconds.</summary>
public sealed record TimeRemainingDto(long TotalSeconds, long Days, long Hours, long Minutes, long Seconds)
{
    public static TimeRemainingDto Of(long seconds)
    {
        var s = Math.Max(0, seconds);
        return new(s, s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60, s % 60);
    }
}
