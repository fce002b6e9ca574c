using System.Globalization;
using System.Net;

namespace Voting.LoadTest;

/// <summary>Settings of the <c>votes</c> subcommand.</summary>
internal sealed record VoteOptions
{
    public Uri BaseUrl { get; init; } = new("http://127.0.0.1:5000");
    public int Voters { get; init; } = 20_000;
    public int Connections { get; init; } = 256;
    public int DurationSeconds { get; init; } = 30;
    public int WarmupSeconds { get; init; } = 5;
    public string AdminKey { get; init; } = "dev-admin-key";
    public int VoteCount { get; init; } = 1;
    public int Credit { get; init; } = 100_000;
    public int SetupParallelism { get; init; } = 64;
    public int TimeoutSeconds { get; init; } = 30;
    public bool Idempotency { get; init; }
    public string? JsonPath { get; init; }
    public string? VotersFile { get; init; }

    /// <summary>Sign in and credit the voters, save them to <see cref="VotersFile"/> and stop: for load from another tool (wrk).</summary>
    public bool SetupOnly { get; init; }

    // Derived from the clock unless given, so a rerun against the same database gets fresh
    // phones (the server hands out at most 5 codes per phone per hour).
    public int Seed { get; init; }
}

/// <summary>Hand-written parsing: a handful of flags do not justify a parser package.</summary>
internal static partial class OptionsParser
{
    public static VoteOptions ParseVotes(IReadOnlyList<string> args, TimeProvider time)
    {
        var o = new VoteOptions { Seed = (int)(time.GetUtcNow().ToUnixTimeMilliseconds() & int.MaxValue) };
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count) throw new UsageException($"{name} needs a value");
                return args[++i];
            }

            o = name switch
            {
                "--url" => o with { BaseUrl = ParseUrl(Value()) },
                "--voters" => o with { Voters = Int(name, Value(), 1, 1_000_000) },
                "--connections" or "-c" => o with { Connections = Int(name, Value(), 1, 5_000) },
                "--duration" or "-d" => o with { DurationSeconds = Int(name, Value(), 1, 3_600) },
                "--warmup" => o with { WarmupSeconds = Int(name, Value(), 0, 600) },
                "--admin-key" => o with { AdminKey = NonEmpty(name, Value()) },
                "--vote-count" => o with { VoteCount = Int(name, Value(), 1, 1_000) },
                "--credit" => o with { Credit = Int(name, Value(), 1, int.MaxValue) },
                "--setup-parallelism" => o with { SetupParallelism = Int(name, Value(), 1, 1_024) },
                "--timeout" => o with { TimeoutSeconds = Int(name, Value(), 1, 600) },
                "--seed" => o with { Seed = Int(name, Value(), 0, int.MaxValue) },
                "--idempotency" => o with { Idempotency = true },
                "--json" => o with { JsonPath = NonEmpty(name, Value()) },
                "--voters-file" => o with { VotersFile = NonEmpty(name, Value()) },
                "--setup-only" => o with { SetupOnly = true },
                _ => throw new UsageException($"unknown option '{name}'"),
            };
        }
        if (o.SetupOnly && o.VotersFile is null) throw new UsageException("--setup-only needs --voters-file, where the voters are saved");
        return o;
    }

    /// <summary>The tool generates heavy load, so it only ever aims at this machine.</summary>
    public static Uri ParseUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new UsageException($"--url '{text}' is not an absolute http(s) URL");
        if (!IsLoopback(uri.Host))
            throw new UsageException($"--url host '{uri.Host}' is not a loopback address (127.0.0.0/8, localhost, ::1)");
        // A trailing slash keeps relative paths below any path prefix of the base address.
        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    public static bool IsLoopback(string host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    private static int Int(string name, string text, int min, int max)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new UsageException($"{name} must be a whole number from {min} to {max}, not '{text}'");
        return value;
    }

    private static string NonEmpty(string name, string text) =>
        string.IsNullOrWhiteSpace(text) ? throw new UsageException($"{name} must not be empty") : text;
}

internal sealed class UsageException(string message) : Exception(message);
