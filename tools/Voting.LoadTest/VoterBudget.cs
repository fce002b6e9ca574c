namespace Voting.LoadTest;

/// <summary>Checks that the voters and their credit can carry the expected request rate.</summary>
internal static class VoterBudget
{
    public const int PerVoterLimitPerMinute = 100;

    public static IEnumerable<string> Check(double requestsPerSecond, int voters, VoteOptions options)
    {
        var runSeconds = options.WarmupSeconds + options.DurationSeconds;
        // No voter can send more in any one minute than in the whole run.
        var window = Math.Min(60, runSeconds);
        var perVoter = requestsPerSecond * window / voters;
        if (perVoter > PerVoterLimitPerMinute * 0.9)
        {
            var needed = (int)Math.Ceiling(requestsPerSecond * window / (PerVoterLimitPerMinute * 0.9));
            yield return $"at {requestsPerSecond:N0} requests/s each of the {voters:N0} voters sends about {perVoter:N0} "
                + $"cast_vote requests in {window} s, near or past the server's limit of {PerVoterLimitPerMinute} a minute: "
                + $"expect 429 RATE_LIMITED to limit the figures; use --voters {needed:N0} or more";
        }

        var votesPerVoter = requestsPerSecond * runSeconds / voters * options.VoteCount;
        if (votesPerVoter > options.Credit)
        {
            yield return $"each voter will need about {votesPerVoter:N0} votes but is credited {options.Credit:N0}: "
                + "expect 422 INSUFFICIENT_VOTE_BALANCE; raise --credit or --voters";
        }
    }
}
