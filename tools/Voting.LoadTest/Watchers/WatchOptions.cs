using System.Globalization;

namespace Voting.LoadTest.Watchers;

/// <summary>Settings of the <c>watchers</c> subcommand; the vote load's own settings are in <see cref="Votes"/>.</summary>
internal sealed record WatchOptions
{
    public const int MaxPerProcess = 19_000;

    public required VoteOptions Votes { get; init; }

    /// <summary>
    /// The servers (nodes of one database): watchers and votes are spread evenly over them. The
    /// first is <see cref="VoteOptions.BaseUrl"/>, where the voters are set up.
    /// </summary>
    public required IReadOnlyList<Uri> Urls { get; init; }
    public int Watchers { get; init; } = 1_000;
    public int VotesPerSecond { get; init; } = 1_000;
    public int PerProcess { get; init; } = 15_000;
    public int? Sources { get; init; }
    public int ConnectParallelism { get; init; } = 200;
    public int ConnectTimeoutSeconds { get; init; } = 30;
    public int RampTimeoutSeconds { get; init; } = 300;

    /// <summary>The servers' process ids, one per URL in order, or empty to find each by its listening port.</summary>
    public IReadOnlyList<int> ServerPids { get; init; } = [];

    /// <summary>The episode to watch without casting votes; with votes it is the open episode's.</summary>
    public long? EpisodeId { get; init; }

    /// <summary>Watchers of server <paramref name="node"/>: an equal share, the first ones taking the remainder.</summary>
    public int WatchersOf(int node) => (Watchers / Urls.Count) + (node < Watchers % Urls.Count ? 1 : 0);

    /// <summary>Watcher processes for server <paramref name="node"/>; a process watches one server.</summary>
    public int ProcessesOf(int node) => (WatchersOf(node) + PerProcess - 1) / PerProcess;

    public int Processes => Enumerable.Range(0, Urls.Count).Sum(ProcessesOf);

    /// <summary>cast_vote requests per second: each request carries --vote-count votes.</summary>
    public double RequestsPerSecond => (double)VotesPerSecond / Votes.VoteCount;

    public static WatchOptions Parse(IReadOnlyList<string> args, TimeProvider time)
    {
        var rest = new List<string>();
        int watchers = 1_000, votesPerSecond = 1_000, perProcess = 15_000, parallelism = 200, connectTimeout = 30, ramp = 300;
        int? sources = null;
        long? episode = null;
        var urls = new List<Uri>();
        var pids = new List<int>();
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
                case "--server-pid": pids.Add(Int(name, Value(), 1, int.MaxValue)); break;
                // Repeated for several servers; the first also carries the votes options' --url (the setup's server).
                case "--url": urls.Add(OptionsParser.ParseUrl(Value())); break;
                case "--episode": episode = Int(name, Value(), 1, int.MaxValue); break;
                default:
                    votersGiven |= name == "--voters";
                    connectionsGiven |= name is "--connections" or "-c";
                    rest.Add(name);
                    if (i + 1 < args.Count && !args[i + 1].StartsWith('-')) rest.Add(args[++i]);
                    break;
            }
        }
        if (urls.Count == 0) urls.Add(new VoteOptions().BaseUrl);
        if (urls.Distinct().Count() < urls.Count) throw new UsageException("--url names the same server twice");
        if (pids.Count > 0 && pids.Count != urls.Count)
            throw new UsageException($"--server-pid must be given once per --url ({urls.Count}), or not at all");
        if (watchers < urls.Count) throw new UsageException($"--watchers must be at least one per server ({urls.Count})");
        rest.InsertRange(0, ["--url", urls[0].ToString()]);
        var votes = OptionsParser.ParseVotes(rest, time);
        if (votes.SetupOnly) throw new UsageException("--setup-only is for the votes command");
        if (episode is not null && votesPerSecond > 0)
            throw new UsageException("--episode is for watching without votes (--votes-per-second 0); votes go to the open episode");
        var requestsPerSecond = (double)votesPerSecond / votes.VoteCount;
        // Enough voters that none passes the 100-requests-a-minute limit, enough connections
        // for the rate at a few milliseconds an answer; either can be set by hand.
        if (!votersGiven)
            votes = votes with { Voters = Math.Max(10, (int)Math.Ceiling(requestsPerSecond * Math.Min(60, votes.WarmupSeconds + votes.DurationSeconds) / 60)) };
        if (!connectionsGiven)
            votes = votes with { Connections = Math.Max(urls.Count, Math.Clamp((int)Math.Ceiling(requestsPerSecond / 50), 4, 256)) };
        else if (votesPerSecond > 0 && votes.Connections < urls.Count)
            throw new UsageException($"--connections must be at least one per server ({urls.Count})");
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
            Urls = urls,
            ServerPids = pids,
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
