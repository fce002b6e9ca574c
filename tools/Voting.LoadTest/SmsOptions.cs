namespace Voting.LoadTest;

/// <summary>Settings of the <c>sms</c> subcommand.</summary>
internal sealed record SmsOptions
{
    public Uri BaseUrl { get; init; } = new("http://127.0.0.1:5000/");
    public string Secret { get; init; } = "";
    public int Numbers { get; init; } = 100_000;
    public int Connections { get; init; } = 256;
    public int DurationSeconds { get; init; } = 30;
    public int WarmupSeconds { get; init; } = 5;
    public int VoteCount { get; init; } = 1;
    public IReadOnlyList<int>? Ballots { get; init; }
    public int TimeoutSeconds { get; init; } = 30;
    public string? JsonPath { get; init; }
    public int Seed { get; init; }
}

internal static partial class OptionsParser
{
    public static SmsOptions ParseSms(IReadOnlyList<string> args, TimeProvider time)
    {
        var o = new SmsOptions { Seed = (int)(time.GetUtcNow().ToUnixTimeMilliseconds() & int.MaxValue) };
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
                "--secret" => o with { Secret = NonEmpty(name, Value()) },
                "--numbers" => o with { Numbers = Int(name, Value(), 1, 5_000_000) },
                "--connections" or "-c" => o with { Connections = Int(name, Value(), 1, 5_000) },
                "--duration" or "-d" => o with { DurationSeconds = Int(name, Value(), 1, 3_600) },
                "--warmup" => o with { WarmupSeconds = Int(name, Value(), 0, 600) },
                "--vote-count" => o with { VoteCount = Int(name, Value(), 1, 10) },
                "--ballots" => o with { Ballots = [.. Value().Split(',', StringSplitOptions.TrimEntries).Select(b => Int(name, b, 1, 1_000))] },
                "--timeout" => o with { TimeoutSeconds = Int(name, Value(), 1, 600) },
                "--seed" => o with { Seed = Int(name, Value(), 0, int.MaxValue) },
                "--json" => o with { JsonPath = NonEmpty(name, Value()) },
                _ => throw new UsageException($"unknown option '{name}'"),
            };
        }
        if (o.Secret.Length == 0) throw new UsageException("--secret is required: the server's Sms:Smart:Secret, which signs every text");
        return o;
    }
}
