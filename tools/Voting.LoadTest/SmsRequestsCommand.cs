using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Voting.Domain.Voting;

namespace Voting.LoadTest;

/// <summary>Settings of the <c>sms-requests</c> subcommand.</summary>
internal sealed record SmsRequestsOptions
{
    public string Secret { get; init; } = "";
    public int Numbers { get; init; } = 100_000;
    public int Count { get; init; }
    public int VoteCount { get; init; } = 1;
    public IReadOnlyList<int> Ballots { get; init; } = [];
    public string OutPath { get; init; } = "";
    public int Seed { get; init; }

    /// <summary>Texts each number sends at most: the numbers are taken in turn.</summary>
    public int TextsPerNumber => (Count + Numbers - 1) / Numbers;
}

internal static partial class OptionsParser
{
    public static SmsRequestsOptions ParseSmsRequests(IReadOnlyList<string> args, TimeProvider time)
    {
        var o = new SmsRequestsOptions { Seed = (int)(time.GetUtcNow().ToUnixTimeMilliseconds() & int.MaxValue) };
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
                "--secret" => o with { Secret = NonEmpty(name, Value()) },
                "--numbers" => o with { Numbers = Int(name, Value(), 1, 5_000_000) },
                "--count" => o with { Count = Int(name, Value(), 1, 50_000_000) },
                "--vote-count" => o with { VoteCount = Int(name, Value(), 1, 10) },
                "--ballots" => o with { Ballots = [.. Value().Split(',', StringSplitOptions.TrimEntries).Select(b => Int(name, b, 1, 1_000))] },
                "--out" => o with { OutPath = NonEmpty(name, Value()) },
                "--seed" => o with { Seed = Int(name, Value(), 0, int.MaxValue) },
                _ => throw new UsageException($"unknown option '{name}'"),
            };
        }
        if (o.Secret.Length == 0) throw new UsageException("--secret is required: the server's Sms:Smart:Secret, which signs every text");
        if (o.Count == 0 || o.Ballots.Count == 0 || o.OutPath.Length == 0) throw new UsageException("sms-requests needs --count, --ballots and --out");
        // The server refuses a number's texts past its daily SMS votes: such a text would answer "failed", not measure a vote.
        if ((long)o.TextsPerNumber * o.VoteCount > VoteRules.SmsVotesPerDay)
        {
            throw new UsageException($"{o.Count:N0} texts of {o.VoteCount} vote(s) from {o.Numbers:N0} numbers is {o.TextsPerNumber} texts a number, "
                + $"over the {VoteRules.SmsVotesPerDay} SMS votes a number may cast a day: use at least "
                + $"{((long)o.Count + (VoteRules.SmsVotesPerDay / o.VoteCount) - 1) / (VoteRules.SmsVotesPerDay / o.VoteCount):N0} --numbers or fewer --count");
        }
        return o;
    }
}

/// <summary>
/// The <c>sms-requests</c> subcommand: signed Smart webhook deliveries written to a file, for wrk
/// (tools/bench/sms.lua), which cannot compute an HMAC. Line i is
/// <c>&lt;X-Smart-Signature&gt;&lt;TAB&gt;&lt;JSON body&gt;</c>: a text "VOTE b" (b the i-th ballot in
/// turn) from the i-th Smart number in turn with a message id unique to the seed, signed as
/// <see cref="SmsWorker"/> signs (lowercase hex HMAC-SHA256 of the body with the secret).
/// </summary>
internal static class SmsRequestsCommand
{
    public static int Run(SmsRequestsOptions options, TimeProvider time)
    {
        var path = Path.GetFullPath(options.OutPath);
        using (var file = new StreamWriter(path, append: false, new UTF8Encoding(false), bufferSize: 1 << 16))
        {
            foreach (var line in Lines(options, time)) file.Write(line);
        }
        Out.Line($"{options.Count:N0} signed texts from {Math.Min(options.Numbers, options.Count):N0} Smart numbers "
            + $"(at most {options.TextsPerNumber} each), VOTE {string.Join("|", options.Ballots)}{CountSuffix(options)}, seed {options.Seed}: {path}");
        return 0;
    }

    /// <summary>The file's lines, each ending in a newline.</summary>
    public static IEnumerable<string> Lines(SmsRequestsOptions options, TimeProvider time)
    {
        var numbers = SmsCommand.Numbers(options.Seed, options.Numbers);
        var key = Encoding.UTF8.GetBytes(options.Secret);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var prefix = "sr" + options.Seed.ToString("x", CultureInfo.InvariantCulture);
        var suffix = CountSuffix(options);
        for (var i = 0; i < options.Count; i++)
        {
            var body = string.Create(CultureInfo.InvariantCulture,
                $"{{\"from\":\"{numbers[i % numbers.Length]}\",\"to\":\"1255\",\"message\":\"VOTE {options.Ballots[i % options.Ballots.Count]}{suffix}\",\"message_id\":\"{prefix}-{i}\",\"timestamp\":{timestamp}}}");
            yield return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(body))) + "\t" + body + "\n";
        }
    }

    private static string CountSuffix(SmsRequestsOptions options) =>
        options.VoteCount > 1 ? string.Create(CultureInfo.InvariantCulture, $" {options.VoteCount}") : "";
}
