using System.Globalization;

namespace Voting.LoadTest.Watchers;

/// <summary>Settings of the <c>watchers</c> subcommand; the vote load's own settings are in <see cref="Votes"/>.</summary>
internal sealed record WatchOptions
{
    public const int MaxPerProcess = 19_000;

    public required VoteOptions Votes { get; init; }
    public int Watchers { get; init; } = 1_000;
    public int VotesPerSecond { get; init; } = 1_000;
    public int PerProcess { get; init; } = 15_000;
    public int? Sources { get; init; }
    public int ConnectParallelism { get; init; } = 200;
    public int ConnectTimeoutSeconds { get; init; } = 30;
    public int RampTimeoutSeconds { get; init; } = 300;
    public int? ServerPid { get; init; }

    /// <summary>The episode to watch without casting votes; with votes it is the open episode's.</summary>
    public long? EpisodeId { get; init; }

    public int Processes => (Watchers + PerProcess - 1) / PerProcess;

    /// <summary>cast_vote requests per second: each request carries --vote-count votes.</summary>
    public double RequestsPerSecond => (double)VotesPerSecond / Votes.VoteCount;

    public static WatchOptions Parse(IReadOnlyList<string> args, TimeProvider time)
    {
        var rest = new List<string>();
        int watchers = 1_000, votesPerSecond = 1_000, perProcess = 15_000, parallelism = 200, connectTimeout = 30, ramp = 300;
        int? sources = null, pid = null;
        long? episode = null;
        bool votersGiven = false, connectionsGiven = false;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Count ? args[++i] : throw new UsageException($"{name} needs a value");
            switch (name)
            {
                case "--watchers" or "-w": watchers = Int(name, Value(), 1, 1_000_000); break;
                case "--votes-per-second" or "--rate": votesPerSecond = Int(name, Value(), 0, 1_000_000); break;
                case "--per-process": perProcess = Int(name, Value(), 1, MaxPerProcess); break;
                case "--sources": sources = Int(name, Value(), 1, 250); break;
                case "--connect-parallelism": parallelism = Int(name, Value(), 1, 10_000); break;
                case "--connect-timeout": connectTimeout = Int(name, Value(), 1, 600); break;
                case "--ramp-timeout": ramp = Int(name, Value(), 1, 3_600); break;
                case "--server-pid": pid = Int(name, Value(), 1, int.MaxValue); break;
                case "--episode": episode = Int(name, Value(), 1, int.MaxValue); break;
                default:
                    votersGiven |= name == "--voters";
                    connectionsGiven |= name is "--connections" or "-c";
                    rest.Add(name);
                    if (i + 1 < args.Count && !args[i + 1].StartsWith('-')) rest.Add(args[++i]);
                    break;
            }
        }
        var votes = OptionsParser.ParseVotes(rest, time);
        if (votes.SetupOnly) throw new UsageException("--setup-only is for the votes command");
        if (episode is not null && votesPerSecond > 0)
            throw new UsageException("--episode is for watching without votes (--votes-per-second 0); votes go to the open episode");
        var requestsPerSecond = (double)votesPerSecond / votes.VoteCount;
        // Enough voters that none passes the 100-requests-a-minute limit, enough connections
        // for the rate at a few milliseconds an answer; either can be set by hand.
        if (!votersGiven)
            votes = votes with { Voters = Math.Max(10, (int)Math.Ceiling(requestsPerSecond * Math.Min(60, votes.WarmupSeconds + votes.DurationSeconds) / 60)) };
        if (!connectionsGiven) votes = votes with { Connections = Math.Clamp((int)Math.Ceiling(requestsPerSecond / 50), 4, 256) };
        return new WatchOptions
        {
            Votes = votes,
            Watchers = watchers,
            VotesPerSecond = votesPerSecond,
            PerProcess = perProcess,
            Sources = sources,
            ConnectParallelism = parallelism,
            ConnectTimeoutSeconds = connectTimeout,
            RampTimeoutSeconds = ramp,
            ServerPid = pid,
            EpisodeId = episode,
        };
    }

    private static int Int(string name, string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new UsageException($"{name} must be a whole number from {min} to {max}, not '{text}'");
        return value;
    }
}
